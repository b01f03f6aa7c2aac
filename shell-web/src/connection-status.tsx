import { useSyncExternalStore } from 'react';
import type { Connectivity } from './connectivity';

const LABELS = { online: 'Online', offline: 'Offline', reconnecting: 'Reconnecting…' } as const;

/** Online, offline or reconnecting, and how many actions wait to be sent; announced when it changes. */
export function ConnectionStatus({ connectivity }: { connectivity: Connectivity }) {
  const status = useSyncExternalStore(
    (listener) => connectivity.subscribe(listener),
    () => connectivity.status,
  );
  const pending = useSyncExternalStore(
    (listener) => connectivity.subscribe(listener),
    () => connectivity.pendingActions,
  );
  return (
    <p role="status" aria-label="Connection" className={`connection ${status}`}>
      <span aria-hidden="true" className="dot" />
      {LABELS[status]}
      {pending > 0 && ` · ${pending} waiting`}
    </p>
  );
}
