import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  createSourceEventStream,
  execute,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import type { BaseContext } from './context.js';
import { DocumentCache } from './document-cache.js';
import { ErrorCode, unauthenticated } from './errors.js';
import { SUBSCRIPTION_IDENTITY_EXTENSION, verifyIdentity, verifySubscription, type Identity, type NonceCache } from './identity.js';
import type { Logger } from './logger.js';

/** How often the server pings each socket; a socket that does not answer within the same time is cut. @default 12000 */
export const DEFAULT_KEEP_ALIVE_MS = 12_000;
/** How long a socket may stay open without `connection_init` (graphql-ws closes it with 4408). @default 3000 */
export const DEFAULT_CONNECTION_INIT_TIMEOUT_MS = 3_000;

/**
 * Close codes of a subgraph's graphql-ws sockets besides graphql-ws's own (4400 bad message,
 * 4408 init timeout, 4409 duplicate subscribe id, 4500 internal error).
 */
export const SubgraphCloseCode = {
  /** The subgraph is shutting down (`stop()`): reconnect, to another instance. Reason "Going away". */
  GoingAway: 1001,
} as const;

export interface SubscriptionServerOptions<TContext extends BaseContext> {
  schema: GraphQLSchema;
  secrets: readonly string[];
  nonces: NonceCache;
  context: (identity: Identity) => TContext | Promise<TContext>;
  logger: Logger;
  /** Masks unexpected errors (as the HTTP path does). */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** Largest WebSocket message accepted. */
  maxPayloadBytes: number;
  /** @default DEFAULT_KEEP_ALIVE_MS */
  keepAliveMs?: number | undefined;
  /** @default DEFAULT_CONNECTION_INIT_TIMEOUT_MS */
  connectionInitTimeoutMs?: number | undefined;
}

export interface SubscriptionServer {
  /** Handles an HTTP upgrade of /graphql: refuses (401) one the gateway did not sign, else opens the socket. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void;
  /** Open sockets (for tests and metrics). */
  readonly connections: number;
  /** Closes every socket with 1001 "Going away", waits up to `timeoutMs` for the peers, then cuts the rest. */
  close(timeoutMs: number): Promise<void>;
}

/** Answers an upgrade request with an HTTP error before any WebSocket is opened. */
export function refuseUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  const reason = status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : status === 503 ? 'Service Unavailable' : 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

const sharedEvents = new WeakSet<object>();

/**
 * Marks a subscription event (the root value a subscription's stream yields) as giving every
 * subscriber the same result for the same document and variables: the subgraph promises that
 * nothing the selection resolves reads the context (the viewer). The event is then executed once
 * for all of them instead of once per subscriber: one event of a big conversation reaches
 * thousands. Authorization stays per subscriber: decide whether to yield the event at all first.
 * @returns `event`
 */
export function sharedEvent<T extends object>(event: T): T {
  sharedEvents.add(event);
  return event;
}

function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * Maps each event of `source`; `return()` reaches the source (unsubscribes). An error thrown by the
 * source becomes one last result carrying it (a GraphQLError keeps its code; others are masked
 * later), then the stream completes: a failing subscription never closes the shared socket.
 */
function mapEvents<T>(source: AsyncIterable<T>, map: (value: T) => Promise<ExecutionResult>): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  return {
    async next() {
      if (finished) return { value: undefined, done: true };
      let result: IteratorResult<T>;
      try {
        result = await iterator.next();
      } catch (error) {
        finished = true;
        const graphQLError = error instanceof GraphQLError ? error : new GraphQLError('Subscription failed.', { originalError: error as Error });
        return { value: { errors: [graphQLError] }, done: false };
      }
      if (result.done) {
        finished = true;
        return { value: undefined, done: true };
      }
      return { value: await map(result.value), done: false };
    },
    async return() {
      finished = true;
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * graphql-ws (graphql-transport-ws) for a subgraph. The upgrade must carry the gateway's own signed
 * identity (user empty) for `GET /graphql`; each `subscribe` carries the user's identity in
 * `payload.extensions.identity`, signed by `signSubscription` over that message's operation. Each
 * event is executed with a fresh context (fresh DataLoaders), as each HTTP request is.
 */
export function createSubscriptionServer<TContext extends BaseContext>(options: SubscriptionServerOptions<TContext>): SubscriptionServer {
  const { logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const identities = new WeakMap<object, Map<string, Identity>>();
  const identitiesOf = (extra: object) => {
    let map = identities.get(extra);
    if (!map) identities.set(extra, (map = new Map()));
    return map;
  };

  // Parsed and validated once per text, so that subscriptions of the same text share one document
  // (the key of shared executions) and the work.
  const documents = new DocumentCache();
  const documentIds = new WeakMap<DocumentNode, number>();
  let nextDocumentId = 1;
  const documentOf = (query: string) =>
    documents.get(query, () => {
      const document = parse(query);
      documentIds.set(document, nextDocumentId++);
      return { document, errors: validate(options.schema, document) };
    });
  // Results of shared events, per event, by document and variables; dropped with the event.
  const sharedResults = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

  const disposable = useServer<Record<string, unknown> | undefined, { socket: WebSocket; request: IncomingMessage }>(
    {
      schema: options.schema,
      connectionInitWaitTimeout: options.connectionInitTimeoutMs ?? DEFAULT_CONNECTION_INIT_TIMEOUT_MS,
      onSubscribe: (ctx, id, payload: SubscribePayload) => {
        const signed = payload.extensions?.[SUBSCRIPTION_IDENTITY_EXTENSION];
        const verified = verifySubscription(options.secrets, signed, payload, { nonces: options.nonces });
        if (!verified.ok) {
          logger.warn({ reason: verified.reason }, 'refused a subscription without a valid signed identity');
          return [unauthenticated(`Subscription is not signed by the gateway (${verified.reason}).`)];
        }
        identitiesOf(ctx.extra).set(id, verified.identity);
        let entry: { document: DocumentNode; errors: readonly GraphQLError[] };
        try {
          entry = documentOf(payload.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Syntax error.')];
        }
        if (entry.errors.length > 0) return [...entry.errors];
        return { schema: options.schema, document: entry.document, operationName: payload.operationName, variableValues: payload.variables };
      },
      context: async (ctx, id) => {
        const identity = identitiesOf(ctx.extra).get(id);
        if (!identity) throw new GraphQLError('No identity for this subscription.', { extensions: { code: ErrorCode.UNAUTHENTICATED } });
        return (await options.context(identity)) as unknown as Record<string, unknown>;
      },
      subscribe: async (args: ExecutionArgs) => {
        const stream = await createSourceEventStream(args);
        if (!isAsyncIterable<unknown>(stream)) return stream as ExecutionResult;
        const { identity } = args.contextValue as BaseContext;
        const run = async (event: unknown) => execute({ ...args, rootValue: event, contextValue: await options.context(identity) }) as Promise<ExecutionResult>;
        const key = `${documentIds.get(args.document) ?? 0}\n${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}`;
        return mapEvents(stream, (event) => {
          if (typeof event !== 'object' || event === null || !sharedEvents.has(event)) return run(event);
          let results = sharedResults.get(event);
          if (!results) sharedResults.set(event, (results = new Map()));
          let result = results.get(key);
          if (!result) results.set(key, (result = run(event)));
          return result;
        });
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors?.length) return undefined;
        return { ...result, errors: result.errors.map((error) => options.formatError(error.toJSON(), error)) };
      },
      onComplete: (ctx, id) => {
        identitiesOf(ctx.extra).delete(id);
      },
    },
    wss,
    options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS,
  );

  return {
    upgrade(req, socket, head, url) {
      const verified = verifyIdentity(
        options.secrets,
        (name) => {
          const value = req.headers[name];
          return Array.isArray(value) ? value[0] : value;
        },
        { method: 'GET', path: `${url.pathname}${url.search}`, body: '' },
        { nonces: options.nonces },
      );
      if (!verified.ok) {
        logger.warn({ reason: verified.reason }, 'refused an unsigned or forged WebSocket upgrade');
        refuseUpgrade(socket, 401, ErrorCode.UNAUTHENTICATED, `Upgrade is not signed by the gateway (${verified.reason}).`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    get connections() {
      return wss.clients.size;
    },
    async close(timeoutMs) {
      const clients = [...wss.clients];
      const allClosed = Promise.all(
        clients.map((client) => (client.readyState === WebSocket.CLOSED ? undefined : new Promise<void>((resolve) => client.once('close', () => resolve())))),
      );
      const disposed = disposable.dispose(); // closes every socket with 1001 "Going away"
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const outcome = await Promise.race([allClosed, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') for (const client of wss.clients) client.terminate();
      await disposed;
    },
  };
}
