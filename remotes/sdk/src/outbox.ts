/**
 * Offline actions (SDK 1.2.0; `edit` since 1.3.0). A mutation goes through the shell's outbox when it is marked with
 * `context: { outbox: true }` and carries a `clientMutationId` variable (or `input.clientMutationId`):
 * kept durably while the gateway cannot be reached, sent in order when it can, a rejected one
 * shown by the shell with its reason (Retry, Discard). See docs/mini-apps.md, "Offline actions".
 *
 * Apollo's optimistic layer and `update` functions are code and do not survive a reload: a mini-app
 * registers, per operation, how to show an item again. On start the shell runs `client.mutate` once
 * more for each stored item with the stored variables, `optimisticResponse(variables)` and `update`,
 * so that it shows as pending until it is sent (with the same clientMutationId: never twice).
 */

/** The well-known key under which the shell's GraphQL client carries its outbox (Symbol.for: one across module copies). */
export const OUTBOX_KEY = Symbol.for('mega.outbox');

/** A typed document (GraphQL Code Generator's `TypedDocumentNode`). */
export interface OutboxDocument<TData, TVariables> {
  readonly __apiType?: (variables: TVariables) => TData;
}

/** How a mini-app shows an outbox item of one operation after a reload. */
export interface OutboxOperation<TData, TVariables, TCache = never> {
  document: OutboxDocument<TData, TVariables>;
  /** The pending result to show (as the mutation's `optimisticResponse`); none: the item only counts as waiting. */
  optimisticResponse?: (variables: TVariables) => TData;
  /** How the shell names an item to the user (its list of actions the server refused), e.g. `Message “Hi”`. @default the operation's name */
  describe?: (variables: TVariables) => string;
  /** Puts a result (the optimistic one, then the server's) into the cache, as the mutation's `update`. */
  update?: (cache: TCache, result: { data?: TData | null }) => void;
  /**
   * What the user may change in an item the server refused, before sending it again (SDK 1.3.0):
   * the shell's list of refused actions then offers Edit, a text field labelled `label` holding
   * `value(variables)`, and sends `apply(variables, text)`. `apply` must keep the clientMutationId
   * (a refused mutation stored nothing under it) and may throw an Error whose message the shell
   * shows (for example, a quantity that is not a number). None: Retry and Discard only.
   */
  edit?: OutboxEdit<TVariables>;
}

/** How the user edits one field of a refused outbox item (see {@link OutboxOperation.edit}). */
export interface OutboxEdit<TVariables> {
  label: string;
  value: (variables: TVariables) => string;
  apply: (variables: TVariables, value: string) => TVariables;
  /** Multi-line text (a message) rather than one line. @default false */
  multiline?: boolean;
}

interface OutboxHost {
  register(operation: OutboxOperation<unknown, unknown, unknown>): () => void;
}

/**
 * Registers how the shell shows stored items of `operation.document`'s operation after a reload.
 * Does nothing on a client without an outbox (a dev host, a test).
 * @returns stops showing them this way
 */
export function registerOutboxOperation<TData, TVariables, TCache = never>(client: object, operation: OutboxOperation<TData, TVariables, TCache>): () => void {
  const host = (client as { [OUTBOX_KEY]?: OutboxHost })[OUTBOX_KEY];
  return host ? host.register(operation as unknown as OutboxOperation<unknown, unknown, unknown>) : () => undefined;
}
