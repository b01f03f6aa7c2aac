import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApolloServer, HeaderMap, type BaseContext as ApolloBaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { BaseContext } from './context.js';
import { ErrorCode } from './errors.js';
import { NonceCache, verifyIdentity, type Identity } from './identity.js';
import type { Logger } from './logger.js';
import { METRICS_PATH, requestMetricsPlugin, serveMetrics, SubgraphMetrics, type DatabasePoolUse, type MetricsOptions } from './metrics.js';
import { requestLogPlugin } from './request-log.js';
import { createSubscriptionServer, refuseUpgrade } from './subscriptions.js';
import { createSubgraphHttpServer, type SubgraphTlsOptions } from './tls.js';

/** Largest request body a subgraph reads. @default 1 MiB */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Handles a non-GraphQL path (JWKS, files); return false to fall through to 404. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean> | boolean;

export interface SubgraphServerOptions<TContext extends BaseContext> {
  service: string;
  schema: GraphQLSchema;
  /** Port 0 picks a free one (tests). */
  port: number;
  host?: string | undefined;
  /** Secret shared with the gateway; requests to /graphql must carry its signature. */
  gatewaySecret: string;
  /** The secret being rotated out: still accepted while the gateways switch to the new one. */
  previousGatewaySecret?: string | undefined;
  /** Builds the per-request context (stores, DataLoaders) for a verified identity. */
  context: (identity: Identity) => TContext | Promise<TContext>;
  logger: Logger;
  /** Extra paths served before /graphql. */
  routes?: RouteHandler | undefined;
  /** Answers /readyz; throw or reject when not ready. */
  readiness?: () => Promise<void>;
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

  const apollo = new ApolloServer<TContext & ApolloBaseContext>({
    schema: options.schema,
    stopOnTerminationSignals: false, // main.ts owns the signals and drains through stop()
    csrfPrevention: false, // only the gateway calls subgraphs, and only with signed requests
    introspection: true, // the gateway and `pnpm compose` read the SDL through _service
    includeStacktraceInErrorResponses: options.development ?? false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.shutdownTimeoutMs ?? 10_000 }),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ...(metrics ? [requestMetricsPlugin(metrics.requests)] : []),
      requestLogPlugin(logger),
    ],
    formatError,
  });
  await apollo.start();

  const nonces = new NonceCache();
  const secrets = options.previousGatewaySecret ? [options.gatewaySecret, options.previousGatewaySecret] : [options.gatewaySecret];
  const subscriptions = createSubscriptionServer({
    schema: options.schema,
    secrets,
    nonces,
    context: options.context,
    logger,
    formatError,
    maxPayloadBytes: maxBodyBytes,
    keepAliveMs: options.keepAliveMs,
  });

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
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
      context: async () => (await options.context(verified.identity)) as TContext & ApolloBaseContext,
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
      if (url.pathname === '/readyz') {
        if (stopping) return sendJson(res, 503, { status: 'stopping', service });
        try {
          await options.readiness?.();
          return sendJson(res, 200, { status: 'ready', service });
        } catch (error) {
          return sendJson(res, 503, { status: 'not ready', service, reason: (error as Error).message });
        }
      }
      if (metrics && url.pathname === METRICS_PATH) return serveMetrics(metrics, options.metrics?.token, req, res);
      if (options.routes && (await options.routes(req, res, url))) return;
      // Within `metrics.run`, runOnce's replays count on this subgraph's registry.
      if (url.pathname === '/graphql') return metrics ? metrics.run(() => handleGraphQL(req, res, url)) : handleGraphQL(req, res, url);
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
    if (stopping) return refuseUpgrade(socket, 503, 'UNAVAILABLE', 'The subgraph is stopping.');
    if (url.pathname !== '/graphql') return refuseUpgrade(socket, 404, 'NOT_FOUND', `No WebSocket endpoint at ${url.pathname}.`);
    subscriptions.upgrade(req, socket, head, url);
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
    stop() {
      stopped ??= (async () => {
        stopping = true;
        await subscriptions.close(options.shutdownTimeoutMs ?? 10_000);
        await apollo.stop(); // the drain plugin closes the listener and waits for in-flight requests
        await options.onStop?.();
        logger.info(`${service} subgraph stopped`);
      })();
      return stopped;
    },
  };
}
