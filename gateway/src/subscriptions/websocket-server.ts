import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  type ExecutionArgs,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
} from 'graphql';
import { CloseCode, type Context, type SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { GatewayContext } from '../context.js';
import { GatewayErrorCode, GatewayHttpError } from '../errors.js';
import { clientAddress } from '../http/client-address.js';
import { graphQLParamsFromBody } from '../http/graphql-params.js';
import type { Logger } from '../logger.js';
import { withoutSuggestions, type OperationLimits } from '../plugins/armor.js';
import type { VerifyAccessToken } from '../plugins/auth.js';
import type { PersistedDocumentRules } from '../plugins/persisted-documents.js';
import type { RateLimitChecks } from '../plugins/rate-limits.js';
import { newRequestId } from '../plugins/request-id.js';
import { DocumentCache, type CachedDocument } from '@mega/subgraph-kit/document-cache';
import type { FederatedSubscriptions } from './federated-subscriptions.js';
import type { SubscriptionPlanner } from './subscription-planner.js';

/** The close codes of the gateway's WebSocket endpoint (graphql-ws's own, plus 1013). */
export const SubscriptionCloseCode = {
  /** Missing/invalid/expired access token in `connectionParams`, or the token expired during the connection. Get a fresh token, reconnect. */
  Unauthorized: CloseCode.Unauthorized,
  /** The page's `Origin` is not allowed to use the API (CORS origins, or the gateway's own host). */
  Forbidden: CloseCode.Forbidden,
  /** No `connection_init` within `connectionInitTimeoutMs`. */
  ConnectionInitialisationTimeout: CloseCode.ConnectionInitialisationTimeout,
  /** Too many connections or operations from this address or user (the HTTP rate limits); reconnect later. */
  TooManyRequests: 4429,
  /** The access-token keys cannot be fetched right now; reconnect shortly. */
  TryAgainLater: 1013,
  /** A message larger than `maxPayloadBytes` (ws). */
  MessageTooBig: 1009,
  /** The gateway is stopping. */
  GoingAway: 1001,
} as const;

/** Limits and timings of the WebSocket endpoint. */
export const DEFAULT_SUBSCRIPTION_LIMITS = {
  /** Server pings every this many ms; a client that does not pong within as long is cut. */
  keepAliveMs: 12_000,
  /** Time allowed between the upgrade and `connection_init` (graphql-ws `connectionInitWaitTimeout`); then 4408. */
  connectionInitTimeoutMs: 5_000,
  /** Largest message accepted from a client (ws `maxPayload`); larger: close 1009. */
  maxPayloadBytes: 65_536,
  /** Live subscriptions on one connection; more get an error TOO_MANY_SUBSCRIPTIONS. */
  maxSubscriptionsPerConnection: 50,
  /** Live subscriptions of one user (anonymous: of one address) on this gateway instance; more get TOO_MANY_SUBSCRIPTIONS. */
  maxSubscriptionsPerUser: 200,
} as const;

export interface SubscriptionsOptions {
  /** @default DEFAULT_SUBSCRIPTION_LIMITS.keepAliveMs (12000); 0: no pings */
  keepAliveMs?: number;
  /** @default DEFAULT_SUBSCRIPTION_LIMITS.connectionInitTimeoutMs (5000) */
  connectionInitTimeoutMs?: number;
  /** @default DEFAULT_SUBSCRIPTION_LIMITS.maxPayloadBytes (65536) */
  maxPayloadBytes?: number;
  /** @default DEFAULT_SUBSCRIPTION_LIMITS.maxSubscriptionsPerConnection (50) */
  maxSubscriptionsPerConnection?: number;
  /** @default DEFAULT_SUBSCRIPTION_LIMITS.maxSubscriptionsPerUser (200) */
  maxSubscriptionsPerUser?: number;
  /** Share one upstream subscription among identical ones of the same user. @default true */
  shareIdentical?: boolean;
}

export interface SubscriptionServerOptions extends SubscriptionsOptions {
  /** The gateway's HTTP(S) server: the endpoint is its `/graphql`, same port (WSS with TLS). */
  httpServer: HttpServer | HttpsServer;
  executor: FederatedSubscriptions;
  verifyToken: VerifyAccessToken;
  limits: OperationLimits;
  /** The persisted-documents plugin's rules (safelisting), applied to every `subscribe` as to an HTTP request. */
  persistedDocuments: PersistedDocumentRules;
  rateLimits?: RateLimitChecks | undefined;
  /** Browser origins allowed besides the gateway's own host; a WebSocket from another origin closes 4403. */
  allowedOrigins: readonly string[];
  trustedProxies: number;
  /** The gateway's error formatting (subgraph errors, masking), applied to every result. */
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  logger: Logger;
}

interface ConnectionState {
  context: GatewayContext;
  expiry?: NodeJS.Timeout;
  /** Ids of this connection's subscriptions counted against the limits. */
  subscriptions: Set<string>;
}

type ConnectionExtra = { state?: ConnectionState };
type Extra = ConnectionExtra & { socket: WebSocket; request: IncomingMessage };

/** setTimeout's largest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function tooManySubscriptions(limit: 'maxSubscriptionsPerConnection' | 'maxSubscriptionsPerUser', max: number): GraphQLError {
  const scope = limit === 'maxSubscriptionsPerConnection' ? 'on one connection' : 'of one user';
  return new GraphQLError(`Too many subscriptions ${scope} (at most ${max}); complete one first.`, {
    extensions: { code: GatewayErrorCode.TOO_MANY_SUBSCRIPTIONS, limit, max },
  });
}

/** An edge error (rate limit, persisted documents) as the `error` message of one operation. */
function operationError(error: GatewayHttpError): GraphQLError {
  return new GraphQLError(error.message, { extensions: { ...error.extensions, code: error.code } });
}

/**
 * The text a `subscribe` runs: its payload is read like an HTTP request's parameters (`query`,
 * `documentId`, `extensions.persistedQuery.sha256Hash`) and goes through the persisted-documents
 * rules. graphql-ws requires `query` to be a string, so an empty one stands for none (by id only).
 * @throws GatewayHttpError what `PersistedDocumentRules.resolve` throws; 400 `BAD_REQUEST` for a
 * parameter of the wrong type, or neither a query nor an id
 */
function subscribeText(payload: SubscribePayload, persistedDocuments: PersistedDocumentRules, userId: string | null): string {
  const params = graphQLParamsFromBody(payload);
  if (params.query === '') params.query = undefined;
  persistedDocuments.resolve(params, userId);
  if (params.query === undefined) {
    throw new GatewayHttpError(400, GatewayErrorCode.BAD_REQUEST, 'Send `query`, or the id of a persisted document (`documentId` or `extensions.persistedQuery.sha256Hash`).');
  }
  return params.query;
}

function accessToken(params: Record<string, unknown> | undefined): string | undefined | null {
  const authorization = params?.authorization ?? params?.Authorization;
  if (typeof authorization === 'string' && authorization !== '') return /^Bearer +([\w.~+/-]+=*)$/i.exec(authorization.trim())?.[1] ?? null;
  if (typeof params?.token === 'string' && params.token !== '') return params.token;
  if (authorization !== undefined || params?.token !== undefined) return null;
  return undefined;
}

/**
 * The gateway's graphql-ws endpoint (graphql-transport-ws) on its own server's `/graphql`. The
 * access token comes in `connectionParams`; each `subscribe` is rate limited, resolved by the
 * persisted-documents rules, parsed, validated and limited like an HTTP operation and run by
 * `FederatedSubscriptions`. See the README's WebSocket section for the close codes and limits.
 */
export function createSubscriptionServer(options: SubscriptionServerOptions): {
  stop(): Promise<void>;
  /** Open WebSocket connections. */
  readonly connections: number;
  /** Live subscriptions on them (those counted against the limits). */
  readonly subscriptions: number;
} {
  const { logger, executor, limits, persistedDocuments } = options;
  const maxPerConnection = options.maxSubscriptionsPerConnection ?? DEFAULT_SUBSCRIPTION_LIMITS.maxSubscriptionsPerConnection;
  const maxPerUser = options.maxSubscriptionsPerUser ?? DEFAULT_SUBSCRIPTION_LIMITS.maxSubscriptionsPerUser;
  const perUser = new Map<string, number>();
  const userKey = (context: GatewayContext) => context.userId ?? `ip:${context.clientIp}`;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? DEFAULT_SUBSCRIPTION_LIMITS.maxPayloadBytes });
  // Validation depends on the schema: a new supergraph starts a new cache.
  let documents: { planner: SubscriptionPlanner; cache: DocumentCache } | undefined;
  const documentsOf = (planner: SubscriptionPlanner) => {
    if (documents?.planner !== planner) documents = { planner, cache: new DocumentCache() };
    return documents.cache;
  };

  function release(state: ConnectionState, id: string): void {
    if (!state.subscriptions.delete(id)) return;
    const key = userKey(state.context);
    const count = (perUser.get(key) ?? 1) - 1;
    if (count <= 0) perUser.delete(key);
    else perUser.set(key, count);
  }

  function originAllowed(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (!origin) return true; // not a browser
    if (options.allowedOrigins.includes(origin)) return true;
    try {
      return new URL(origin).host === request.headers.host;
    } catch {
      return false;
    }
  }

  const server = useServer<Record<string, unknown>, ConnectionExtra>(
    {
      connectionInitWaitTimeout: options.connectionInitTimeoutMs ?? DEFAULT_SUBSCRIPTION_LIMITS.connectionInitTimeoutMs,
      async onConnect(ctx: Context<Record<string, unknown>, Extra>) {
        const { socket, request } = ctx.extra;
        if (!originAllowed(request)) return false; // 4403 Forbidden
        const context: GatewayContext = { requestId: newRequestId(), userId: null, clientIp: clientAddress(request, options.trustedProxies) };
        const token = accessToken(ctx.connectionParams);
        const state: ConnectionState = { context, subscriptions: new Set() };
        if (token === null) {
          socket.close(SubscriptionCloseCode.Unauthorized, 'The access token must be given as authorization: "Bearer <token>" or token.');
          return false;
        }
        if (token !== undefined) {
          try {
            const verified = await options.verifyToken(token, context.requestId);
            context.userId = verified.userId;
            const delay = verified.expiresAt - Date.now();
            state.expiry = setTimeout(() => socket.close(SubscriptionCloseCode.Unauthorized, 'The access token expired; reconnect with a fresh one.'), Math.min(Math.max(delay, 0), MAX_TIMER_MS));
          } catch (error) {
            const unauthorized = error instanceof GatewayHttpError && error.status === 401;
            socket.close(unauthorized ? SubscriptionCloseCode.Unauthorized : SubscriptionCloseCode.TryAgainLater, error instanceof Error ? error.message : 'Unauthorized');
            return false;
          }
        }
        ctx.extra.state = state;
        // Everything needed from the upgrade request is in `context`; graphql-ws would otherwise keep
        // it (headers and all) for the life of the connection.
        (ctx.extra as Partial<Extra>).request = undefined;
        return true;
      },
      async onSubscribe(ctx: Context<Record<string, unknown>, Extra>, id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> {
        const state = ctx.extra.state!;
        const planner = executor.planner;
        if (!planner) return [new GraphQLError('The gateway is starting; subscribe again shortly.', { extensions: { code: GatewayErrorCode.SUBGRAPH_UNAVAILABLE } })];
        let text: string;
        try {
          await options.rateLimits?.limitOperation(state.context);
          text = subscribeText(payload, persistedDocuments, state.context.userId);
        } catch (error) {
          if (error instanceof GatewayHttpError) return [operationError(error)];
          throw error;
        }
        let cached: CachedDocument;
        try {
          cached = documentsOf(planner).get(text, () => {
            const parsed = limits.parse(text);
            return { document: parsed, errors: limits.validate(planner.schema, parsed) };
          });
        } catch (error) {
          return [error as GraphQLError];
        }
        if (cached.errors.length > 0) return [...cached.errors];
        const { document, query } = cached;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new GraphQLError('Name the operation to run (operationName).', { extensions: { code: GatewayErrorCode.BAD_REQUEST } })];
        if (operation.operation !== 'subscription') {
          return [new GraphQLError('Only subscriptions run over the WebSocket; send queries and mutations with HTTP.', { extensions: { code: GatewayErrorCode.BAD_REQUEST } })];
        }
        const coerced = getVariableValues(planner.schema, operation.variableDefinitions ?? [], payload.variables ?? {});
        if (coerced.errors) {
          return coerced.errors.map((error) => new GraphQLError(withoutSuggestions(error.message), { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT' } }));
        }
        if (state.subscriptions.size >= maxPerConnection) return [tooManySubscriptions('maxSubscriptionsPerConnection', maxPerConnection)];
        const key = userKey(state.context);
        if ((perUser.get(key) ?? 0) >= maxPerUser) return [tooManySubscriptions('maxSubscriptionsPerUser', maxPerUser)];
        state.subscriptions.add(id);
        perUser.set(key, (perUser.get(key) ?? 0) + 1);
        return {
          schema: planner.schema,
          document,
          operationName: payload.operationName ?? undefined,
          variableValues: coerced.coerced,
          contextValue: { ...state.context, requestId: newRequestId(), query },
        };
      },
      subscribe(args) {
        const { query, ...context } = args.contextValue as GatewayContext & { query: string };
        try {
          return executor.subscribe({
            query,
            document: args.document,
            operationName: args.operationName ?? undefined,
            variables: (args.variableValues ?? {}) as Record<string, unknown>,
            context,
          });
        } catch (error) {
          if (error instanceof GraphQLError) return { errors: [error] };
          logger.error({ err: error }, 'a subscription could not start');
          return { errors: [new GraphQLError('Internal server error.', { extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR } })] };
        }
      },
      onNext(_ctx, _id, _payload, _args, result): FormattedExecutionResult {
        const { errors, ...rest } = result;
        if (!errors) return rest as FormattedExecutionResult;
        return { ...rest, errors: errors.map((error) => options.formatError(error.toJSON(), error)) } as FormattedExecutionResult;
      },
      onError(_ctx, _id, _payload, errors) {
        return errors.map((error) => options.formatError(error.toJSON(), error));
      },
      onComplete(ctx: Context<Record<string, unknown>, Extra>, id) {
        if (ctx.extra.state) release(ctx.extra.state, id);
      },
      onClose(ctx: Context<Record<string, unknown>, Extra>) {
        const state = ctx.extra.state;
        if (!state) return;
        clearTimeout(state.expiry);
        for (const id of [...state.subscriptions]) release(state, id);
      },
    },
    wss,
    options.keepAliveMs ?? DEFAULT_SUBSCRIPTION_LIMITS.keepAliveMs,
  );

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://gateway.internal').pathname;
    if (path !== '/graphql') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const accept = () => wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    const limited = options.rateLimits?.limitConnection(clientAddress(request, options.trustedProxies));
    if (!limited) return accept();
    limited.then(accept, (error: unknown) => {
      const retryAfter = error instanceof GatewayHttpError ? (error.headers['retry-after'] ?? '60') : '60';
      socket.end(`HTTP/1.1 429 Too Many Requests\r\nRetry-After: ${retryAfter}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    });
  };
  options.httpServer.on('upgrade', onUpgrade);

  return {
    get connections() {
      return wss.clients.size;
    },
    get subscriptions() {
      let live = 0;
      for (const count of perUser.values()) live += count;
      return live;
    },
    async stop() {
      options.httpServer.off('upgrade', onUpgrade);
      // Every connection closes with 1001 first, before any subscription could be completed: a
      // `complete` would tell the client its subscription is over for good, whereas a close makes
      // graphql-ws clients reconnect (to this gateway again or another one) and subscribe again.
      await server.dispose();
      await executor.stop();
    },
  };
}
