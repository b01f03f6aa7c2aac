import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApolloServer, HeaderMap, type BaseContext as ApolloBaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Tracer } from '@opentelemetry/api';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { BaseContext } from './context.js';
import { ErrorCode } from './errors.js';
import { NonceCache, verifyIdentity, type Identity } from './identity.js';
import type { Logger } from './logger.js';
import { METRICS_PATH, requestMetricsPlugin, serveMetrics, SubgraphMetrics, type DatabasePoolUse, type MetricsOptions } from './metrics.js';
import { readinessReport, type ReadinessCheckResult } from './readiness.js';
import { requestLogPlugin } from './request-log.js';
import { createSubscriptionServer, refuseUpgrade } from './subscriptions.js';
import { createSubgraphHttpServer, type SubgraphTlsOptions } from './tls.js';
import { traceResolvers, tracingPlugin, withRequestSpan } from './tracing.js';

/** Largest request body a subgraph reads. @default 1 MiB */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The `Retry-After` (seconds) of the 503 `UNAVAILABLE` answers while a subgraph starts. @default 1 */
export const STARTING_RETRY_AFTER_SECONDS = 1;

/** Handles a non-GraphQL path (JWKS, files); return false to fall through to 404. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean> | boolean;

/** What a subgraph serves: its schema on /graphql, and its other paths. */
export interface SubgraphApp<TContext extends BaseContext> {
  schema: GraphQLSchema;
  /** Builds the per-request context (stores, DataLoaders) for a verified identity. */
  context: (identity: Identity) => TContext | Promise<TContext>;
  /** Extra paths served before /graphql. */
  routes?: RouteHandler | undefined;
}

export interface SubgraphServerOptions<TContext extends BaseContext> extends SubgraphListenOptions, SubgraphApp<TContext> {}

/** How a subgraph's HTTP server listens, whatever it serves. */
export interface SubgraphListenOptions {
  service: string;
  /** Port 0 picks a free one (tests). */
  port: number;
  host?: string | undefined;
  /** Secret shared with the gateway; requests to /graphql must carry its signature. */
  gatewaySecret: string;
  /** The secret being rotated out: still accepted while the gateways switch to the new one. */
  previousGatewaySecret?: string | undefined;
  logger: Logger;
  /**
   * The checks of /readyz (see `ReadinessReport`); bound each by a timeout (`runReadinessChecks`).
   * A stopping server adds `server: failing 'stopping'`. @default none: ready while listening
   */
  readiness?: () => Promise<Record<string, ReadinessCheckResult>>;
  /** Show error details (stack traces) in responses. @default false */
  development?: boolean | undefined;
  /** @default DEFAULT_MAX_BODY_BYTES */
  maxBodyBytes?: number;
  /** How long `stop()` waits for in-flight requests before cutting them. @default 10000 */
  shutdownTimeoutMs?: number | undefined;
  /** Called once the server has stopped serving, before `stop()` resolves (close the database here). */
  onStop?: () => Promise<void>;
  /** Serve HTTPS and require a client certificate signed by `clientCaFile` (mutual TLS). @default plain HTTP */
  tls?: SubgraphTlsOptions | undefined;
  /** graphql-ws keepalive: ping interval, and how long a pong may take. @default DEFAULT_KEEP_ALIVE_MS (12 s) */
  keepAliveMs?: number | undefined;
  /** `GET /metrics` (Prometheus): whether it is served and the bearer token it requires. @default served, no token */
  metrics?: MetricsOptions | undefined;
  /** The database's connections, reported on /metrics (`DatabaseHandle.poolUse`). @default not reported */
  poolUse?: (() => DatabasePoolUse) | undefined;
  /**
   * Spans of each /graphql request (`subgraph.request`, child of the caller's `traceparent`) and of
   * its resolvers (`traceResolvers`): see tracing.ts. @default none: nothing traced, nothing wrapped
   */
  tracer?: Tracer | undefined;
}

export interface SubgraphServer {
  url: string;
  port: number;
  /**
   * Stops accepting, closes graphql-ws sockets with 1001 "Going away" (their subscriptions end;
   * the gateway reconnects elsewhere), drains in-flight requests, then runs `onStop`. Idempotent.
   */
  stop(): Promise<void>;
}

/**
 * A subgraph server that listens but serves only /healthz, /readyz and /metrics until `serve`:
 * every other path and WebSocket upgrade gets 503 `UNAVAILABLE` with `Retry-After`.
 */
export interface ListeningSubgraphServer extends SubgraphServer {
  /**
   * Serves `app` from now on (starts Apollo Server for its schema). Call it once.
   * @throws when Apollo Server cannot start (the server keeps listening: stop it)
   */
  serve<TContext extends BaseContext>(app: SubgraphApp<TContext>): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, ErrorCode.PAYLOAD_TOO_LARGE, `Request body is larger than ${limit} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, ErrorCode.PAYLOAD_TOO_LARGE, `Request body is larger than ${limit} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!contentType?.toLowerCase().startsWith('application/json')) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, ErrorCode.BAD_REQUEST, 'Request body is not valid JSON.');
  }
}

/**
 * Serves a subgraph schema on /graphql (signed requests only), /healthz and /readyz, with
 * graceful shutdown. Errors that are not GraphQLErrors with a code are masked as INTERNAL_SERVER_ERROR.
 */
export async function startSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<SubgraphServer> {
  const server = await listenSubgraphServer(options);
  try {
    await server.serve(options);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/**
 * Listens at once with /healthz, /readyz (from `readiness` alone) and /metrics, and answers 503
 * `UNAVAILABLE` (with `Retry-After`) everywhere else until `serve` is called: the start-up of a
 * subgraph whose migrations run after it listens (`launchSubgraph`).
 */
export async function listenSubgraphServer(options: SubgraphListenOptions): Promise<ListeningSubgraphServer> {
  const { logger, service } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { server: httpServer, scheme } = await createSubgraphHttpServer(options.tls);
  let stopping = false;
  const metrics = options.metrics?.enabled === false ? undefined : new SubgraphMetrics(service, { poolUse: options.poolUse });

  function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
    const code = formatted.extensions?.code;
    if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
      logger.error({ err: (error as { originalError?: unknown }).originalError ?? error }, 'unexpected resolver error');
      if (!options.development) {
        return { message: 'Internal server error.', ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
      }
    }
    return formatted;
  }

  const nonces = new NonceCache();
  const secrets = options.previousGatewaySecret ? [options.gatewaySecret, options.previousGatewaySecret] : [options.gatewaySecret];

  /** What `serve` set up; undefined while starting. */
  let serving:
    | { apollo: ApolloServer<BaseContext & ApolloBaseContext>; subscriptions: ReturnType<typeof createSubscriptionServer>; app: SubgraphApp<BaseContext> }
    | undefined;

  async function serve(app: SubgraphApp<BaseContext>): Promise<void> {
    if (serving) throw new Error(`${service} subgraph is already serving`);
    const apollo = new ApolloServer<BaseContext & ApolloBaseContext>({
      schema: app.schema,
      stopOnTerminationSignals: false, // main.ts owns the signals and drains through stop()
      csrfPrevention: false, // only the gateway calls subgraphs, and only with signed requests
      introspection: true, // the gateway and `pnpm compose` read the SDL through _service
      includeStacktraceInErrorResponses: options.development ?? false,
      plugins: [
        ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.shutdownTimeoutMs ?? 10_000 }),
        ApolloServerPluginLandingPageDisabled(),
        ApolloServerPluginInlineTraceDisabled(),
        ...(metrics ? [requestMetricsPlugin(metrics.requests)] : []),
        ...(options.tracer ? [tracingPlugin()] : []),
        requestLogPlugin(logger),
      ],
      formatError,
    });
    if (options.tracer) traceResolvers(app.schema, options.tracer);
    await apollo.start();
    const subscriptions = createSubscriptionServer({
      schema: app.schema,
      secrets,
      nonces,
      context: app.context,
      logger,
      formatError,
      maxPayloadBytes: maxBodyBytes,
      keepAliveMs: options.keepAliveMs,
    });
    serving = { apollo, subscriptions, app };
  }

  function sendStarting(res: ServerResponse): void {
    sendJson(
      res,
      503,
      { errors: [{ message: `The ${service} subgraph is starting; retry shortly.`, extensions: { code: ErrorCode.UNAVAILABLE } }] },
      { 'retry-after': String(STARTING_RETRY_AFTER_SECONDS) },
    );
  }

  async function sendReadiness(res: ServerResponse): Promise<void> {
    const checks: Record<string, ReadinessCheckResult> = stopping ? { server: { status: 'failing', reason: 'stopping' } } : ((await options.readiness?.()) ?? {});
    const report = readinessReport(service, checks);
    sendJson(res, report.status === 'ready' ? 200 : 503, report, { 'cache-control': 'no-store' });
  }

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: URL, { apollo, app }: NonNullable<typeof serving>): Promise<void> {
    const raw = req.method === 'POST' ? await readBody(req, maxBodyBytes) : '';
    const verified = verifyIdentity(
      secrets,
      (name) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value[0] : value;
      },
      { method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, body: raw },
      { nonces },
    );
    if (!verified.ok) {
      logger.warn({ reason: verified.reason, path: url.pathname }, 'refused an unsigned or forged request');
      sendError(res, 401, ErrorCode.UNAUTHENTICATED, `Request is not signed by the gateway (${verified.reason}).`);
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const body = req.method === 'POST' ? parseBody(raw, req.headers['content-type']) : undefined;
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => (await app.context(verified.identity)) as BaseContext & ApolloBaseContext,
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://subgraph.internal');
    const handle = async () => {
      if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok', service });
      if (url.pathname === '/readyz') return sendReadiness(res);
      if (metrics && url.pathname === METRICS_PATH) return serveMetrics(metrics, options.metrics?.token, req, res);
      const current = serving;
      if (!current) return sendStarting(res);
      if (current.app.routes && (await current.app.routes(req, res, url))) return;
      // Within `metrics.run`, runOnce's replays count on this subgraph's registry.
      if (url.pathname === '/graphql') {
        const { tracer } = options;
        const graphql = tracer ? () => withRequestSpan(tracer, req, url.pathname, () => handleGraphQL(req, res, url, current), () => res.statusCode) : () => handleGraphQL(req, res, url, current);
        return metrics ? metrics.run(graphql) : graphql();
      }
      return sendError(res, 404, 'NOT_FOUND', `No route for ${url.pathname}.`);
    };
    handle().catch((error: unknown) => {
      if (error instanceof HttpError) return sendError(res, error.status, error.code, error.message);
      const requestId = randomUUID();
      logger.error({ err: error, requestId }, 'request failed');
      if (!res.headersSent) sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, `Internal server error (request ${requestId}).`);
      else res.destroy();
    });
  });

  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://subgraph.internal');
    if (stopping) return refuseUpgrade(socket, 503, ErrorCode.UNAVAILABLE, 'The subgraph is stopping.');
    if (url.pathname !== '/graphql') return refuseUpgrade(socket, 404, 'NOT_FOUND', `No WebSocket endpoint at ${url.pathname}.`);
    if (!serving) return refuseUpgrade(socket, 503, ErrorCode.UNAVAILABLE, `The ${service} subgraph is starting; retry shortly.`);
    serving.subscriptions.upgrade(req, socket, head, url);
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}/graphql`;
  logger.info({ url }, `${service} subgraph listening`);

  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    serve: (app) => serve(app as unknown as SubgraphApp<BaseContext>),
    stop() {
      stopped ??= (async () => {
        stopping = true;
        if (serving) {
          await serving.subscriptions.close(options.shutdownTimeoutMs ?? 10_000);
          await serving.apollo.stop(); // the drain plugin closes the listener and waits for in-flight requests
        } else {
          await new Promise<void>((resolve) => {
            httpServer.close(() => resolve());
            httpServer.closeAllConnections();
          });
        }
        await options.onStop?.();
        logger.info(`${service} subgraph stopped`);
      })();
      return stopped;
    },
  };
}
