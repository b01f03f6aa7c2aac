import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError } from 'graphql';
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_PORT,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DEFAULT_SUBGRAPH_TIMEOUT_MS,
  DEFAULT_SUPERGRAPH_FILE,
  DEFAULT_SUPERGRAPH_POLL_INTERVAL_MS,
} from './config.js';
import type { GatewayContext } from './context.js';
import { GatewayErrorCode, GatewayHttpError } from './errors.js';
import { readJsonBody } from './http/request-body.js';
import { sendHttpError, sendJson } from './http/responses.js';
import { createLogger, type Logger } from './logger.js';
import { jwksUrlFromAccountsUrl, useAuth, type AuthOptions } from './plugins/auth.js';
import { useErrorMasking } from './plugins/error-masking.js';
import type { GatewayPlugin, GatewayRequest } from './plugins/plugin.js';
import { newRequestId, REQUEST_ID_HEADER, useRequestId } from './plugins/request-id.js';
import { useSubgraphErrors } from './plugins/subgraph-errors.js';
import { createSupergraphSource } from './supergraph/supergraph-source.js';
import { createConnectionPool, type ConnectionPoolOptions } from './upstream/connection-pool.js';
import { SignedDataSource } from './upstream/signed-data-source.js';

/** What a deployment decides about the gateway; `main.ts` fills it from the environment, tests by hand. */
export interface GatewayOptions {
  /** Secret shared with every subgraph; signs the identity of each upstream request. At least 32 characters. */
  gatewaySecret: string;
  /** Port to listen on; 0 picks a free one (tests). @default 4000 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** The supergraph: a file path (watched) or an http(s) URL (polled). @default DEFAULT_SUPERGRAPH_FILE (gateway/supergraph.graphql) */
  supergraph?: string;
  /** How often a supergraph URL is downloaded again. @default 10000 */
  supergraphPollIntervalMs?: number;
  /** Debounce of supergraph file change events. @default 100 */
  supergraphWatchDebounceMs?: number;
  /** Subgraph URLs by name, replacing those written in the supergraph. @default {} */
  subgraphUrls?: Record<string, string>;
  /** Where the access-token public keys are. @default the accounts subgraph's origin + '/.well-known/jwks.json' */
  jwksUrl?: string;
  /** Token checks besides the key set. @default issuer 'mega-app/accounts', audience 'mega-app', 5 s clock tolerance */
  auth?: Pick<AuthOptions, 'issuer' | 'audience' | 'clockToleranceSeconds' | 'jwksTimeoutMs'>;
  /** How long one subgraph request may take before it counts as unavailable. @default 10000 */
  subgraphTimeoutMs?: number;
  /** Keep-alive pool to the subgraphs. @default 64 connections per subgraph, 4 s idle timeout */
  connectionPool?: ConnectionPoolOptions;
  /** Largest request body; larger ones get 413 PAYLOAD_TOO_LARGE. @default 1048576 (1 MiB) */
  maxBodyBytes?: number;
  /** How long `stop()` waits for in-flight requests before closing their connections. @default 10000 */
  shutdownTimeoutMs?: number;
  /** Unmasked errors with stack traces. Never in production. @default false */
  development?: boolean;
  /** Answer introspection queries. @default false */
  introspection?: boolean;
  /** @default a pino logger at level 'info' */
  logger?: Logger;
  /** More plugins, run after the built-in ones (request id, auth, subgraph errors, error masking). @default [] */
  plugins?: GatewayPlugin[];
}

/** Where a started gateway listens. */
export interface GatewayAddress {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql */
  url: string;
  port: number;
}

/** A gateway that is built but not listening yet. */
export interface Gateway {
  /**
   * Listens, then loads the supergraph (meanwhile /readyz answers 503).
   * @returns the address once the supergraph is loaded and the gateway serves
   * @throws when the port is taken or the supergraph cannot be read or is invalid
   */
  start(): Promise<GatewayAddress>;
  /** Stops accepting, drains in-flight requests (up to `shutdownTimeoutMs`), stops watching the supergraph. Idempotent. */
  stop(): Promise<void>;
}

const MIN_SECRET_LENGTH = 32;

/**
 * Builds the gateway: node:http in front of Apollo Server and @apollo/gateway, with the built-in
 * plugins request id, auth, subgraph errors and error masking. Nothing listens, reads or connects
 * until `start()`.
 */
export function createGateway(options: GatewayOptions): Gateway {
  if (options.gatewaySecret.length < MIN_SECRET_LENGTH) throw new Error(`gatewaySecret must be at least ${MIN_SECRET_LENGTH} characters`);
  const logger = options.logger ?? createLogger();
  const development = options.development ?? false;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const subgraphUrlOverrides = options.subgraphUrls ?? {};
  /** The URL each subgraph is actually called at, as of the current supergraph. */
  const subgraphUrls = new Map<string, string>();

  const plugins: GatewayPlugin[] = [
    useRequestId(),
    useAuth({
      ...options.auth,
      jwksUrl: () => {
        const accounts = subgraphUrls.get('accounts');
        return options.jwksUrl ?? (accounts ? jwksUrlFromAccountsUrl(accounts) : undefined);
      },
      logger: logger.child({ plugin: 'auth' }),
    }),
    useSubgraphErrors({ development }),
    useErrorMasking({ development, logger }),
    ...(options.plugins ?? []),
  ];

  const httpServer = createServer();
  let apollo: ApolloServer<GatewayContext> | undefined;
  let starting: Promise<GatewayAddress> | undefined;
  let stopping: Promise<void> | undefined;
  let ready = false;
  const pool = createConnectionPool(options.connectionPool);

  function buildApollo(): ApolloServer<GatewayContext> {
    const gateway = new ApolloGateway({
      supergraphSdl: createSupergraphSource({
        location: options.supergraph ?? DEFAULT_SUPERGRAPH_FILE,
        pollIntervalMs: options.supergraphPollIntervalMs ?? DEFAULT_SUPERGRAPH_POLL_INTERVAL_MS,
        watchDebounceMs: options.supergraphWatchDebounceMs,
        logger: logger.child({ component: 'supergraph' }),
      }),
      buildService: ({ name, url }) => {
        const target = subgraphUrlOverrides[name] ?? url;
        if (!target) throw new Error(`The supergraph gives no URL for subgraph "${name}"; set SUBGRAPH_${name.toUpperCase()}_URL.`);
        subgraphUrls.set(name, target);
        return new SignedDataSource({
          name,
          url: target,
          gatewaySecret: options.gatewaySecret,
          pool,
          timeoutMs: options.subgraphTimeoutMs ?? DEFAULT_SUBGRAPH_TIMEOUT_MS,
          logger: logger.child({ component: 'upstream' }),
        });
      },
      logger: logger.child({ component: 'apollo-gateway' }),
      __exposeQueryPlanExperimental: development,
    });
    return new ApolloServer<GatewayContext>({
      gateway,
      csrfPrevention: true,
      introspection: options.introspection ?? false,
      includeStacktraceInErrorResponses: development,
      stopOnTerminationSignals: false,
      logger: logger.child({ component: 'apollo-server' }),
      formatError: (formatted: GraphQLFormattedError, error: unknown) =>
        plugins.reduce((current, plugin) => plugin.formatError?.(current, error) ?? current, formatted),
      plugins: [
        ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS }),
        ApolloServerPluginLandingPageDisabled(),
        ApolloServerPluginUsageReportingDisabled(),
        ApolloServerPluginSchemaReportingDisabled(),
        ...plugins.flatMap((plugin) => (plugin.apollo ? [plugin.apollo] : [])),
      ],
    });
  }

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: URL, server: ApolloServer<GatewayContext>): Promise<void> {
    const method = req.method ?? 'GET';
    const context: GatewayContext = { requestId: newRequestId(), userId: null, clientIp: req.socket.remoteAddress ?? '' };
    const request: GatewayRequest = { method, headers: req.headers, context, setResponseHeader: (name, value) => res.setHeader(name, value) };
    for (const plugin of plugins) await plugin.onRequest?.(request);
    const body = method === 'POST' ? await readJsonBody(req, maxBodyBytes) : undefined;
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: url.search, body },
      context: async () => context,
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

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway.internal');
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok', service: 'gateway' });
    if (url.pathname === '/readyz') {
      if (ready && !stopping) return sendJson(res, 200, { status: 'ready', service: 'gateway' });
      return sendJson(res, 503, { status: stopping ? 'stopping' : 'starting', service: 'gateway' });
    }
    if (url.pathname === '/graphql' && apollo) return handleGraphQL(req, res, url, apollo);
    throw new GatewayHttpError(404, GatewayErrorCode.NOT_FOUND, `No route for ${url.pathname}.`);
  }

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof GatewayHttpError) return sendHttpError(res, error);
      if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') return res.destroy(); // the client went away mid-request
      const requestId = String(res.getHeader(REQUEST_ID_HEADER) ?? newRequestId());
      logger.error({ err: error, requestId }, 'request failed');
      if (res.headersSent) return res.destroy();
      sendJson(res, 500, {
        errors: [{ message: 'Internal server error.', extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR, requestId } }],
      });
    });
  });

  async function listen(): Promise<GatewayAddress> {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port ?? DEFAULT_PORT, options.host ?? '127.0.0.1', () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    const { port } = httpServer.address() as AddressInfo;
    const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
    return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/graphql`, port };
  }

  async function closeHttpServer(): Promise<void> {
    if (!httpServer.listening) return;
    await new Promise<void>((resolve) => {
      httpServer.close(() => resolve());
      httpServer.closeAllConnections();
    });
  }

  return {
    start() {
      if (stopping) return Promise.reject(new Error('The gateway was stopped; create a new one.'));
      starting ??= (async () => {
        const address = await listen();
        const server = buildApollo();
        apollo = server;
        try {
          await server.start();
        } catch (error) {
          apollo = undefined;
          await closeHttpServer();
          await pool.close();
          throw error;
        }
        ready = true;
        logger.info({ url: address.url }, 'gateway listening');
        return address;
      })();
      return starting;
    },
    stop() {
      stopping ??= (async () => {
        ready = false;
        await starting?.catch(() => undefined);
        if (apollo) await apollo.stop(); // the drain plugin closes the listener and waits for in-flight requests
        await closeHttpServer();
        await pool.close();
        logger.info('gateway stopped');
      })();
      return stopping;
    },
  };
}
