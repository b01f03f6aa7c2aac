import { useId, useState, useSyncExternalStore, type FormEvent } from 'react';
import type { Outbox, OutboxItem } from './outbox';

/**
 * What the outbox cannot send on its own, so the user is never left guessing:
 * - "Not sent": actions the server refused for good (the items behind them were sent meanwhile),
 *   each with the reason, Edit (when its mini-app says how), Retry (at the end of the queue, the
 *   same clientMutationId) and Discard;
 * - "Waiting to send": the first waiting action when the server answers but cannot take it now
 *   (a 5xx, rate limited, a service down): it holds the ones behind it, so it says why, with Try
 *   now and Discard.
 * Nothing is shown while there are none.
 */
export function OutboxPanel({ outbox }: { outbox: Outbox }) {
  const items = useSyncExternalStore(
    (listener) => outbox.subscribe(listener),
    () => outbox.list,
  );
  const failed = items.filter((item) => item.status === 'failed');
  const head = items.find((item) => item.status === 'pending');
  const held = head?.problem ? head : undefined;
  return (
    <>
      {held && (
        <section className="outbox-panel outbox-waiting" role="region" aria-label="Waiting to send">
          <h2>Waiting to send</h2>
          <p>
            <span className="outbox-what">{outbox.describe(held)}</span>: <span className="outbox-reason">{held.problem!.message}</span> Trying again
            {items.filter((item) => item.status === 'pending').length > 1 ? '; the actions after it wait for it.' : '.'}{' '}
            <button type="button" aria-label={`Try now: ${outbox.describe(held)}`} onClick={() => outbox.tryNow()}>
              Try now
            </button>{' '}
            <button type="button" aria-label={`Discard: ${outbox.describe(held)}`} onClick={() => void outbox.discard(held.id)}>
              Discard
            </button>
          </p>
        </section>
      )}
      {failed.length > 0 && (
        <section className="outbox-panel" role="region" aria-label="Not sent">
          <h2>Not sent</h2>
          <ul>
            {failed.map((item) => (
              <FailedItem key={item.id} outbox={outbox} item={item} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function FailedItem({ outbox, item }: { outbox: Outbox; item: OutboxItem }) {
  const what = outbox.describe(item);
  const edit = outbox.editable(item);
  const [editing, setEditing] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const fieldId = useId();

  const send = (event: FormEvent) => {
    event.preventDefault();
    if (editing === null) return;
    outbox.edit(item.id, editing).then(
      () => setEditing(null),
      (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
    );
  };

  if (edit && editing !== null) {
    const Field = edit.multiline ? 'textarea' : 'input';
    return (
      <li className="outbox-failed">
        <form className="outbox-edit" onSubmit={send} aria-label={`Edit: ${what}`}>
          <label htmlFor={fieldId}>{edit.label}</label>
          <Field
            id={fieldId}
            value={editing}
            autoFocus
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${fieldId}-problem` : undefined}
            onChange={(event) => {
              setEditing(event.target.value);
              setProblem(null);
            }}
          />
          {problem && (
            <p id={`${fieldId}-problem`} role="alert" className="outbox-reason">
              {problem}
            </p>
          )}
          <span className="outbox-actions">
            <button type="submit" className="primary">
              Send
            </button>{' '}
            <button type="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </span>
        </form>
      </li>
    );
  }
  return (
    <li className="outbox-failed">
      <span className="outbox-what">{what}</span>: <span className="outbox-reason">{item.error?.message ?? 'Refused by the server.'}</span>{' '}
      {edit && (
        <>
          <button
            type="button"
            aria-label={`Edit: ${what}`}
            onClick={() => {
              setProblem(null);
              setEditing(safely(() => edit.value(item.variables)) ?? '');
            }}
          >
            Edit
          </button>{' '}
        </>
      )}
      <button type="button" aria-label={`Retry: ${what}`} onClick={() => void outbox.retry(item.id)}>
        Retry
      </button>{' '}
      <button type="button" aria-label={`Discard: ${what}`} onClick={() => void outbox.discard(item.id)}>
        Discard
      </button>
    </li>
  );
}

/** A mini-app's function's answer, or undefined if it throws (its code must not break the shell's panel). */
function safely<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch {
    return undefined;
  }
}
