import { useSyncExternalStore } from 'react';
import type { Outbox } from './outbox';

/**
 * Actions the server refused for good (the outbox's failed items): each with the reason, Retry
 * (sent again, at the end of the queue, with the same clientMutationId) and Discard. Nothing is
 * shown while there are none; the items behind a failed one were sent meanwhile.
 */
export function OutboxPanel({ outbox }: { outbox: Outbox }) {
  const items = useSyncExternalStore(
    (listener) => outbox.subscribe(listener),
    () => outbox.list,
  );
  const failed = items.filter((item) => item.status === 'failed');
  if (failed.length === 0) return null;
  return (
    <section className="outbox-panel" role="region" aria-label="Not sent">
      <h2>Not sent</h2>
      <ul>
        {failed.map((item) => {
          const what = outbox.describe(item);
          return (
            <li key={item.id} className="outbox-failed">
              <span className="outbox-what">{what}</span>: <span className="outbox-reason">{item.error?.message ?? 'Refused by the server.'}</span>{' '}
              <button type="button" aria-label={`Retry: ${what}`} onClick={() => void outbox.retry(item.id)}>
                Retry
              </button>{' '}
              <button type="button" aria-label={`Discard: ${what}`} onClick={() => void outbox.discard(item.id)}>
                Discard
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
