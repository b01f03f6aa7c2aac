import { useSyncExternalStore } from 'react';
import type { AppUpdates } from './app-updates';

/** "New version available — Reload", while an update waits (./app-updates.ts). */
export function UpdateBanner({ updates }: { updates: AppUpdates }) {
  const available = useSyncExternalStore(
    (listener) => updates.subscribe(listener),
    () => updates.available,
  );
  if (!available) return null;
  return (
    <div role="status" aria-label="Update" className="update-banner">
      New version available
      <button type="button" onClick={() => updates.accept()}>
        Reload
      </button>
    </div>
  );
}
