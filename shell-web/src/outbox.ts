import { ApolloLink, type ApolloClient } from '@apollo/client';
import { getMainDefinition } from '@apollo/client/utilities';
import { OUTBOX_KEY, type OutboxEdit, type OutboxOperation } from '@mega/mini-app-sdk';
import type { FormattedExecutionResult } from 'graphql';
import { Observable, type Subscriber } from 'rxjs';
import type { Connectivity } from './connectivity';
import { OutboxStore, type OutboxItem } from './outbox-store';

export type { OutboxItem } from './outbox-store';

/** The longest wait between two attempts to send the first waiting item. */
export const MAX_OUTBOX_WAIT_MS = 10_000;
/** How long stored items a mini-app has not registered wait for it before they are sent as they are (with nothing shown). */
const UNREGISTERED_GRACE_MS = 3_000;

/**
 * GraphQL error codes that say a retry may work: the item stays first in the queue and is sent
 * again later. Any other code (BAD_USER_INPUT, NOT_FOUND, FORBIDDEN, CONFLICT, ...) will not
 * change: the item is marked failed, shown with its reason, and the next items go on.
 */
const TRANSIENT_CODES = new Set(['UNAUTHENTICATED', 'RATE_LIMITED', 'UNAVAILABLE', 'SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR', 'DOWNSTREAM_SERVICE_ERROR', 'PERSISTED_QUERY_NOT_FOUND']);

type Result = FormattedExecutionResult;
/** Why an attempt the server did answer will be made again (a 5xx, a transient code). */
type Problem = NonNullable<OutboxItem['problem']>;
type Outcome = { kind: 'sent'; result: Result } | { kind: 'refused'; result?: Result; error?: unknown; message: string; code?: string } | { kind: 'unreachable'; problem?: Problem };

/** A live `client.mutate` of an item, waiting in the link for its turn. */
interface Attempt {
  run: () => Observable<Result>;
  observer: Subscriber<Result>;
}

/** The item's clientMutationId: a `clientMutationId` variable or `input.clientMutationId`. */
export function clientMutationIdOf(variables: Record<string, unknown> | undefined): string | undefined {
  const direct = variables?.clientMutationId;
  const nested = (variables?.input as { clientMutationId?: unknown } | undefined)?.clientMutationId;
  const id = direct ?? nested;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function operationNameOf(document: unknown): string | undefined {
  try {
    const definition = getMainDefinition(document as Parameters<typeof getMainDefinition>[0]);
    return definition.kind === 'OperationDefinition' ? definition.name?.value : undefined;
  } catch {
    return undefined;
  }
}

/** Exponential backoff with jitter: about 1 s, 2 s, 4 s ... up to {@link MAX_OUTBOX_WAIT_MS}. */
export function outboxWaitMs(failures: number, random = Math.random): number {
  const ceiling = Math.min(MAX_OUTBOX_WAIT_MS, 1000 * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** What a finished attempt means for its item. */
export function classify(values: readonly Result[], thrown?: unknown): Outcome {
  if (thrown !== undefined) {
    // An HTTP answer with a client error status (not 401, 408, 429) will not change either; anything else is the network.
    const status = (thrown as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500 && ![401, 408, 429].includes(status)) {
      return { kind: 'refused', error: thrown, message: (thrown as Error).message || `Refused (HTTP ${status}).` };
    }
    return typeof status === 'number' ? { kind: 'unreachable', problem: { message: `The server could not take it now (HTTP ${status}).` } } : { kind: 'unreachable' };
  }
  const result = values.at(-1);
  if (!result) return { kind: 'unreachable' };
  const errors = result.errors ?? [];
  if (errors.length === 0) return { kind: 'sent', result };
  const permanent = errors.find((error) => !TRANSIENT_CODES.has(String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')));
  if (!permanent) return { kind: 'unreachable', problem: { message: errors[0]!.message, code: String(errors[0]!.extensions?.code ?? 'INTERNAL_SERVER_ERROR') } };
  return { kind: 'refused', result, message: permanent.message, code: String(permanent.extensions?.code ?? '') };
}

/**
 * The outbox: marked mutations (`context: { outbox: true }` with a clientMutationId) are kept in
 * IndexedDB per user and sent one at a time, first in first out, by {@link Outbox.link}.
 *
 * - While an item waits, its `client.mutate` stays in flight, so Apollo's optimistic response
 *   shows it as pending; the mutation resolves when it is sent.
 * - The network fails (fetch throws, 5xx, a transient code): the item stays first and is sent
 *   again after a backoff, or at once when connectivity comes back; nothing behind it overtakes it.
 * - The server answers but cannot take it now (a 5xx, RATE_LIMITED, a subgraph down): as above,
 *   and the item carries the reason (`problem`), so the shell says what holds the queue (with
 *   Try now and Discard) rather than waiting silently.
 * - The server refuses it for good: the item is marked failed with the reason (the mutation
 *   rejects, its optimistic response goes), the next items go on; the shell lists it with Retry,
 *   Discard and, when its mini-app registered how (`edit`), Edit.
 * - After a reload the optimistic layer is gone and `update` functions are code, so the outbox
 *   cannot show items by itself: mini-apps register per operation (SDK `registerOutboxOperation`)
 *   the document, `optimisticResponse(variables)` and `update`, and the outbox runs
 *   `client.mutate` again with them for each stored item of that operation, which shows it as
 *   pending until it is sent. Chosen over storing optimistic responses: the mini-app's cache
 *   shape stays its own code, and its update runs for the server's result too. Items of an
 *   operation nobody registers within a few seconds are sent as they are (their result lands in
 *   the cache by its normalized ids).
 * - Each send carries the item's clientMutationId: a resend after a lost answer returns the
 *   first result and never repeats the effect.
 */
export class Outbox {
  private userId: string | null = null;
  private items: OutboxItem[] = [];
  private ready: Promise<void> = Promise.resolve();
  private readonly attempts = new Map<string, Attempt>();
  private readonly dispatched = new Set<string>();
  /** Stored items dispatched before their mini-app registered (nothing shown): dispatched again when it does. */
  private readonly dispatchedPlain = new Set<string>();
  private readonly operations = new Map<string, OutboxOperation<unknown, unknown, unknown>>();
  private readonly listeners = new Set<() => void>();
  private client: ApolloClient | undefined;
  private pumping = false;
  private wakeUp: (() => void) | undefined;
  private loadedAt = 0;

  constructor(
    private readonly connectivity: Connectivity,
    private readonly store = new OutboxStore(),
  ) {
    connectivity.subscribe(() => {
      if (connectivity.status !== 'offline') this.wake();
    });
  }

  /** The items, first to be sent first. */
  get list(): readonly OutboxItem[] {
    return this.items;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The client whose mutations the link sees: it re-runs stored items, and carries the outbox for `registerOutboxOperation`. */
  attach(client: ApolloClient): void {
    this.client = client;
    (client as unknown as Record<symbol, unknown>)[OUTBOX_KEY] = { register: (operation: OutboxOperation<unknown, unknown, unknown>) => this.register(operation) };
  }

  /** The signed-in user (null: signed out, every stored item is wiped). */
  setUser(userId: string | null): void {
    if (userId === this.userId) return;
    this.userId = userId;
    for (const attempt of this.attempts.values()) attempt.observer.error(new Error('Signed out before it was sent.'));
    this.attempts.clear();
    this.dispatched.clear();
    this.dispatchedPlain.clear();
    this.items = [];
    this.changed();
    if (!userId) {
      this.ready = this.store.clear().catch(() => undefined);
      return;
    }
    this.ready = this.store.load(userId).then(
      (items) => {
        if (this.userId !== userId) return;
        // Live items added while loading come after the stored ones.
        this.items = [...items.map((item) => ({ ...item })), ...this.items.filter((item) => !items.some((stored) => stored.id === item.id))];
        this.loadedAt = Date.now();
        void this.store.keepOnly(userId).catch(() => undefined);
        this.changed();
        for (const item of this.items) if (item.status === 'pending' && this.operations.has(item.operationName)) this.dispatch(item);
        void this.pump();
        setTimeout(() => this.wake(), UNREGISTERED_GRACE_MS);
      },
      () => undefined,
    );
  }

  register(operation: OutboxOperation<unknown, unknown, unknown>): () => void {
    const name = operationNameOf(operation.document);
    if (!name) return () => undefined;
    this.operations.set(name, operation);
    void this.ready.then(() => {
      for (const item of this.items) {
        if (item.status !== 'pending' || item.operationName !== name) continue;
        // Sent as it was, nothing shown: run it again with the display (the same clientMutationId: sent at most once more, applied once).
        if (this.dispatchedPlain.delete(item.id)) this.dispatched.delete(item.id);
        this.dispatch(item);
      }
    });
    return () => {
      if (this.operations.get(name) === operation) this.operations.delete(name);
    };
  }

  /** How the item's mini-app names it, or its operation's name. */
  describe(item: OutboxItem): string {
    return item.label ?? this.labelOf(item.operationName, item.variables) ?? item.operationName;
  }

  private labelOf(operationName: string, variables: Record<string, unknown>): string | undefined {
    try {
      return this.operations.get(operationName)?.describe?.(variables);
    } catch {
      return undefined;
    }
  }

  /** Puts a failed item back at the end of the queue. */
  async retry(id: string): Promise<void> {
    const item = this.items.find((candidate) => candidate.id === id);
    if (!item || item.status !== 'failed') return;
    this.items = [...this.items.filter((other) => other !== item), { ...item, status: 'pending', error: undefined }];
    this.dispatched.delete(id);
    await this.persist();
    this.dispatch(this.items.at(-1)!);
    this.wake();
  }

  /** How the user may edit a refused item before it is sent again, if its mini-app said (SDK `edit`). */
  editable(item: OutboxItem): OutboxEdit<Record<string, unknown>> | undefined {
    return this.operations.get(item.operationName)?.edit as OutboxEdit<Record<string, unknown>> | undefined;
  }

  /**
   * Changes a failed item as its mini-app's `edit` says and puts it back at the end of the queue,
   * with the same clientMutationId (its refused attempt stored nothing under it).
   * @throws the mini-app's error for a value it cannot take (the item stays as it was)
   */
  async edit(id: string, value: string): Promise<void> {
    const item = this.items.find((candidate) => candidate.id === id);
    const edit = item && this.editable(item);
    if (!item || item.status !== 'failed' || !edit) return;
    const variables = edit.apply(structuredClone(item.variables), value);
    if (clientMutationIdOf(variables) !== id) throw new Error('The edit changed the action’s clientMutationId.');
    this.items = [
      ...this.items.filter((other) => other !== item),
      { ...item, variables, label: this.labelOf(item.operationName, variables) ?? item.label, status: 'pending', error: undefined, problem: undefined },
    ];
    this.dispatched.delete(id);
    await this.persist();
    this.dispatch(this.items.at(-1)!);
    this.wake();
  }

  /** Sends the first waiting item now rather than after its backoff. */
  tryNow(): void {
    this.wake();
  }

  /**
   * Forgets an item: a failed one, or a waiting one the server keeps answering that it cannot
   * take now (its mutation is rejected; an attempt already on its way may still be applied).
   */
  async discard(id: string): Promise<void> {
    this.attempts.get(id)?.observer.error(new Error('Discarded.'));
    this.attempts.delete(id);
    this.items = this.items.filter((item) => item.id !== id);
    await this.persist();
    this.wake();
  }

  /** The link, first in the client's chain: marked mutations wait their turn here; everything else passes. */
  readonly link = new ApolloLink((operation, forward) => {
    const context = operation.getContext() as { outbox?: unknown };
    const id = clientMutationIdOf(operation.variables);
    const definition = getMainDefinition(operation.query);
    // Nobody signed in (or no session given): nothing to keep it for, so it fails fast like any other.
    if (!context.outbox || !id || !this.userId || definition.kind !== 'OperationDefinition' || definition.operation !== 'mutation') return forward(operation);
    return new Observable<Result>((observer) => {
      void (async () => {
        await this.ready;
        if (!this.userId) return observer.error(new Error('Nobody is signed in.'));
        const known = this.items.find((item) => item.id === id);
        if (!known) {
          this.items = [
            ...this.items,
            {
              id,
              operationName: operation.operationName ?? 'anonymous',
              document: JSON.parse(JSON.stringify(operation.query)) as unknown,
              variables: operation.variables,
              status: 'pending',
              label: this.labelOf(operation.operationName ?? '', operation.variables),
            },
          ];
          await this.persist();
        } else if (known.status === 'failed') {
          this.items = this.items.map((item) => (item === known ? { ...item, status: 'pending', error: undefined } : item));
          await this.persist();
        }
        this.dispatched.add(id);
        this.attempts.get(id)?.observer.error(new Error('Sent again.'));
        this.attempts.set(id, { run: () => forward(operation), observer });
        this.wake();
        void this.pump();
      })();
    });
  });

  /** Runs `client.mutate` for a stored item: with the registered display when there is one. */
  private dispatch(item: OutboxItem): void {
    if (!this.client || this.dispatched.has(item.id)) return;
    this.dispatched.add(item.id);
    const registered = this.operations.get(item.operationName);
    if (!registered) this.dispatchedPlain.add(item.id);
    void this.client
      .mutate({
        mutation: (registered?.document ?? item.document) as never,
        variables: item.variables,
        ...(registered?.optimisticResponse ? { optimisticResponse: registered.optimisticResponse(item.variables) as never } : {}),
        ...(registered?.update ? { update: registered.update as never } : {}),
        context: { outbox: true },
      })
      .catch(() => undefined);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      let failures = 0;
      for (;;) {
        const user = this.userId;
        const item = this.items.find((candidate) => candidate.status === 'pending');
        if (!item || !user) return;
        const attempt = this.attempts.get(item.id);
        if (!attempt) {
          // A stored item no mini-app has shown yet: give them a moment to register, then send it as it is.
          const waited = Date.now() - this.loadedAt;
          if (this.operations.has(item.operationName) || waited >= UNREGISTERED_GRACE_MS) this.dispatch(item);
          await this.sleep(this.dispatched.has(item.id) ? 1000 : UNREGISTERED_GRACE_MS - waited);
          continue;
        }
        const outcome = await this.send(attempt);
        if (this.userId !== user || this.attempts.get(item.id) !== attempt) continue;
        if (outcome.kind === 'unreachable') {
          if (item.problem?.message !== outcome.problem?.message || item.problem?.code !== outcome.problem?.code) {
            this.items = this.items.map((other) => (other.id === item.id ? { ...other, problem: outcome.problem } : other));
            await this.persist();
          }
          failures += 1;
          await this.sleep(outboxWaitMs(failures));
          continue;
        }
        failures = 0;
        this.attempts.delete(item.id);
        if (outcome.kind === 'sent') {
          this.items = this.items.filter((other) => other.id !== item.id);
          await this.persist();
          attempt.observer.next(outcome.result);
          attempt.observer.complete();
        } else {
          this.items = this.items.map((other) => (other.id === item.id ? { ...other, status: 'failed', error: { message: outcome.message, ...(outcome.code ? { code: outcome.code } : {}) } } : other));
          await this.persist();
          if (outcome.result) {
            attempt.observer.next(outcome.result);
            attempt.observer.complete();
          } else {
            attempt.observer.error(outcome.error);
          }
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private send(attempt: Attempt): Promise<Outcome> {
    return new Promise((resolve) => {
      const values: Result[] = [];
      attempt.run().subscribe({
        next: (value) => values.push(value),
        error: (error: unknown) => resolve(classify(values, error ?? new Error('failed'))),
        complete: () => resolve(classify(values)),
      });
    });
  }

  /** Waits `ms`, or less when connectivity comes back or an item arrives. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      const previous = this.wakeUp;
      this.wakeUp = done;
      function done() {
        clearTimeout(timer);
        previous?.();
        resolve();
      }
    });
  }

  private wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    wakeUp?.();
    void this.pump();
  }

  private async persist(): Promise<void> {
    this.changed();
    if (this.userId) await this.store.save(this.userId, this.items).catch(() => undefined);
  }

  private changed(): void {
    this.connectivity.setPendingActions(this.items.filter((item) => item.status === 'pending').length);
    for (const listener of this.listeners) listener();
  }
}

/** The outbox of the shell's one client (made with it). */
export function createOutboxLink(connectivity: Connectivity): Outbox {
  return new Outbox(connectivity);
}
