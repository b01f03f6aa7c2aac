import type { IncomingMessage, ServerResponse } from 'node:http';
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
import { METRICS_PATH } from '@mega/subgraph-kit/metrics';
import { READINESS_CHECK_TIMEOUT_MS, readinessReport, runReadinessChecks, type ReadinessReport } from '@mega/subgraph-kit/readiness';
import { createRedisProbe, type RedisProbe } from '@mega/subgraph-kit/redis';
import { createTracing, type Tracing, type TracingOptions } from '@mega/subgraph-kit/tracing';
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
import { clientAddress } from './http/client-address.js';
import { trackConnections } from './http/connection-drain.js';
import { bodyWithGraphQLParams, graphQLParamsFromBody, graphQLParamsFromSearch, searchWithGraphQLParams } from './http/graphql-params.js';
import { JSON_MEDIA_TYPE, notAcceptable, responseMediaType } from './http/media-types.js';
import { readJsonBody } from './http/request-body.js';
import { sendEmpty, sendHttpError, sendJson } from './http/responses.js';
import { createLogger, type Logger } from './logger.js';
import { DEFAULT_JWKS_TIMEOUT_MS, jwksUrlFromAccountsUrl, useAuth, type AuthOptions } from './plugins/auth.js';
import { useArmor, type ArmorOptions } from './plugins/armor.js';
import { DEFAULT_DEVELOPMENT_CORS_ORIGINS, useCors, type CorsOptions } from './plugins/cors.js';
import { useErrorMasking } from './plugins/error-masking.js';
import { useOperationSelection } from './plugins/operation-selection.js';
import { useMetrics, type GatewayMetricsOptions } from './plugins/metrics.js';
import { usePersistedDocuments, type PersistedDocumentsOptions } from './plugins/persisted-documents.js';
import { PLAYGROUND_PERSISTED_DOCUMENTS, usePlayground, type PlaygroundOptions } from './plugins/playground.js';
import type { GatewayPlugin, GatewayRequest } from './plugins/plugin.js';
import { useRateLimits, type RateLimitsOptions } from './plugins/rate-limits.js';
import { newRequestId, REQUEST_ID_HEADER, useRequestId } from './plugins/request-id.js';
import { useSecureHeaders } from './plugins/secure-headers.js';
import { useSubgraphErrors } from './plugins/subgraph-errors.js';
import { QueryPlanStore, warmQueryPlans } from './supergraph/query-plan-cache.js';
import { createSupergraphSource } from './supergraph/supergraph-source.js';
import { createGatewayServer, type GatewayTlsOptions } from './tls/server-tls.js';
import { createConnectionPool, type ConnectionPoolOptions } from './upstream/connection-pool.js';
import { SignedDataSource } from './upstream/signed-data-source.js';
import { HEALTH_CHECK_TIMEOUT_MS, SubgraphInstances } from './upstream/subgraph-instances.js';
import { FederatedSubscriptions } from './subscriptions/federated-subscriptions.js';
import { SubscriptionPlanner } from './subscriptions/subscription-planner.js';
import { UpstreamConnections } from './subscriptions/upstream-connections.js';
import { createSubscriptionServer, type SubscriptionsOptions } from './subscriptions/websocket-server.js';
import { loadUpstreamTls } from './tls/upstream-tls.js';

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
  /**
   * Subgraph URLs by name, replacing those written in the supergraph. Several URLs for one subgraph
   * are its instances: requests and subscriptions go round-robin over those that are up, with
   * failover and health checks (see `SubgraphInstances`, `SignedDataSource`). @default {}
   */
  subgraphUrls?: Record<string, string | readonly string[]>;
  /** How often a subgraph instance marked down is asked for its /readyz (several URLs per subgraph only). @default 2000 */
  subgraphHealthCheckIntervalMs?: number;
  /** Where the access-token public keys are. @default the accounts subgraph's origin + '/.well-known/jwks.json' */
  jwksUrl?: string;
  /** Token checks besides the key set. @default issuer 'mega-app/accounts', audience 'mega-app', 5 s clock tolerance */
  auth?: Pick<AuthOptions, 'issuer' | 'audience' | 'clockToleranceSeconds' | 'jwksTimeoutMs'>;
  /** How long one subgraph request may take before it counts as unavailable. @default 10000 */
  subgraphTimeoutMs?: number;
  /** Keep-alive pool to the subgraphs (and its TLS: CA, client certificate). @default 64 connections per subgraph, 4 s idle timeout, no client certificate */
  connectionPool?: ConnectionPoolOptions;
  /**
   * Serve HTTPS (TLS 1.2 or later, `Strict-Transport-Security` on every response) with this
   * certificate and key, read at `start()`. @default plain HTTP
   */
  tls?: GatewayTlsOptions | undefined;
  /** Largest request body; larger ones get 413 PAYLOAD_TOO_LARGE. @default 1048576 (1 MiB) */
  maxBodyBytes?: number;
  /** How long `stop()` waits for in-flight requests before closing their connections. @default 10000 */
  shutdownTimeoutMs?: number;
  /** Unmasked errors with stack traces. Never in production. @default false */
  development?: boolean;
  /** Answer introspection queries. @default false */
  introspection?: boolean;
  /** Operation limits (graphql-armor) and suggestion blocking. @default DEFAULT_OPERATION_LIMITS, suggestions removed */
  armor?: ArmorOptions;
  /** Browser origins allowed to call /graphql (CORS). @default DEFAULT_DEVELOPMENT_CORS_ORIGINS with `development`, else none */
  cors?: CorsOptions;
  /** Headers on every response (HSTS comes with `tls`). @default DEFAULT_SECURE_HEADERS */
  secureHeaders?: Readonly<Record<string, string>>;
  /** Rate limits per client address and per user; false turns them off. @default DEFAULT_RATE_LIMITS, counted in memory (in Redis with `redisUrl`) */
  rateLimits?: Omit<RateLimitsOptions, 'logger' | 'redisUrl'> | false;
  /** Redis shared by the gateway instances: rate-limit counters live there; /readyz pings it. @default none (this process's memory) */
  redisUrl?: string | undefined;
  /** How long the Redis check of /readyz may take before it counts as failing. @default READINESS_CHECK_TIMEOUT_MS (1 s) */
  readinessTimeoutMs?: number;
  /**
   * Persisted documents: manifests folder and safelisting. Their operations are planned when a
   * supergraph loads and when the manifests change (the gateway is ready once the first warm-up
   * is done), so no document's first request pays for its plan. @default no manifests, raw queries run
   */
  persistedDocuments?: Omit<PersistedDocumentsOptions, 'logger' | 'onReload'>;
  /** Size of the query plan cache (the plans' JSON). @default DEFAULT_QUERY_PLAN_CACHE_MIB (30 MiB) */
  queryPlanCacheMib?: number;
  /**
   * How many proxies in front of the gateway append the client's address to `X-Forwarded-For`
   * (true = 1). The client address (rate limits, `clientIp` signed to the subgraphs) is then read
   * from that header; otherwise it is the socket's peer and the header is ignored. @default false
   */
  trustProxy?: boolean | number;
  /** @default a pino logger at level 'info' */
  logger?: Logger;
  /** More plugins, run after the built-in ones (see `createGateway`). @default [] */
  plugins?: GatewayPlugin[];
  /**
   * Subscriptions over graphql-ws at the same `/graphql` (WSS with `tls`): keepalive, init timeout,
   * message size, subscriptions per connection and per user, sharing of identical subscriptions;
   * false: no WebSocket endpoint. @default DEFAULT_SUBSCRIPTION_LIMITS, identical subscriptions shared
   */
  subscriptions?: SubscriptionsOptions | false;
  /**
   * The playground (self-hosted GraphiQL) at /playground/, from the playground's build in `dir`;
   * a browser's GET of /graphql is redirected there. `adminsOnly` (production) serves the IDE only
   * to signed-in users in `adminUserIds`. @default off
   */
  playground?: PlaygroundOptions | false | undefined;
  /**
   * `GET /metrics` (Prometheus text) on the gateway's own port: whether it is served and the bearer
   * token a scrape must carry; in a cluster worker, where the cluster's totals come from. @default served to anyone who reaches the port (main.ts: see METRICS_ENABLED, METRICS_TOKEN)
   */
  metrics?: Omit<GatewayMetricsOptions, 'webSockets'>;
  /**
   * OpenTelemetry traces: `@apollo/gateway`'s spans (`gateway.request`, `gateway.validate`,
   * `gateway.plan`, `gateway.execute`, `gateway.fetch`, `gateway.postprocessing`) through a global
   * tracer provider registered by `start()` and removed by `stop()` (one traced gateway per process),
   * and `traceparent` on every subgraph request. @default off: no provider, no header (main.ts: OTEL_EXPORTER_OTLP_ENDPOINT)
   */
  tracing?: TracingOptions | undefined;
}

/** Where a started gateway listens. */
export interface GatewayAddress {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql (https:// with TLS) */
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
  /**
   * Reads the TLS certificate and key files again (after a renewal): connections opened afterwards
   * get them, open ones (WebSockets included) keep theirs. Resolves at once without TLS.
   * @throws when a file cannot be read or the key does not match; the previous certificate stays in use
   */
  reloadTls(): Promise<void>;
  /**
   * Before `stop()` when another process takes over the port (a rolling restart of workers): stops
   * accepting connections and keeps answering on the open ones with `Connection: close` until they
   * have closed, at most `timeoutMs` (@default `shutdownTimeoutMs`), so that no client request fails.
   */
  drain(timeoutMs?: number): Promise<void>;
}

const MIN_SECRET_LENGTH = 32;

/**
 * Builds the gateway: node:http in front of Apollo Server and @apollo/gateway, with the built-in
 * plugins metrics, request id, secure headers, CORS, rate limits, auth, armor (operation limits),
 * persisted documents, subgraph errors and error masking. Nothing listens, reads or connects
 * until `start()`.
 */
export function createGateway(options: GatewayOptions): Gateway {
  if (options.gatewaySecret.length < MIN_SECRET_LENGTH) throw new Error(`gatewaySecret must be at least ${MIN_SECRET_LENGTH} characters`);
  const logger = options.logger ?? createLogger();
  const development = options.development ?? false;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const subgraphUrlOverrides = options.subgraphUrls ?? {};
  /** The URL each subgraph is actually called at, as of the current supergraph (its first instance's). */
  const subgraphUrls = new Map<string, string>();
  /** Each subgraph's instances and their health, as of the current supergraph. */
  const instances = new Map<string, SubgraphInstances>();
  const instancesOf = (name: string, urls: readonly string[]): SubgraphInstances => {
    const known = instances.get(name);
    if (known && known.urls.join() === [...new Set(urls)].join()) return known;
    known?.close();
    const created = new SubgraphInstances({
      name,
      urls,
      healthCheckIntervalMs: options.subgraphHealthCheckIntervalMs,
      isReady: async (readyzUrl) => {
        const response = await pool.fetch(readyzUrl, { method: 'GET' }, HEALTH_CHECK_TIMEOUT_MS);
        await response.body?.cancel();
        return response.status === 200;
      },
      logger: logger.child({ component: 'upstream' }),
    });
    instances.set(name, created);
    return created;
  };

  const trustedProxies = options.trustProxy === true ? 1 : typeof options.trustProxy === 'number' ? options.trustProxy : 0;
  /** `armor.limits` are the operation limits every transport applies: HTTP here, and the graphql-ws server too. */
  const armor = useArmor(options.armor);
  const rateLimits =
    options.rateLimits === false
      ? undefined
      : useRateLimits({ ...options.rateLimits, redisUrl: options.redisUrl, logger: logger.child({ plugin: 'rate-limits' }) });
  const auth = useAuth({
    ...options.auth,
    jwksUrl: () => {
      const accounts = instances.get('accounts')?.preferred() ?? subgraphUrls.get('accounts');
      return options.jwksUrl ?? (accounts ? jwksUrlFromAccountsUrl(accounts) : undefined);
    },
    // Through the subgraph pool: an accounts subgraph that requires a client certificate gets it.
    // Every accounts instance serves the same keys: one that cannot be reached is marked down and the keys are fetched from another.
    fetch: async (url, init) => {
      const send = (target: string) =>
        pool.fetch(target, { method: init.method, headers: Object.fromEntries(init.headers) }, options.auth?.jwksTimeoutMs ?? DEFAULT_JWKS_TIMEOUT_MS) as unknown as Promise<Response>;
      const accounts = instances.get('accounts');
      const instance = accounts?.balanced ? accounts.urls.find((each) => new URL(each).origin === new URL(url).origin) : undefined;
      if (!accounts || !instance) return send(url);
      try {
        return await send(url);
      } catch (error) {
        accounts.markDown(instance, 'token keys unreachable');
        const other = accounts.pick(new Set([instance]));
        if (!other) throw error;
        const { pathname, search } = new URL(url);
        return send(new URL(pathname + search, other).toString());
      }
    },
    logger: logger.child({ plugin: 'auth' }),
  });
  const corsOptions = options.cors ?? { origins: development ? DEFAULT_DEVELOPMENT_CORS_ORIGINS : [] };
  /** Its rules (`resolve`) hold for HTTP (its `onParams`) and for every `subscribe` over the WebSocket. */
  const persistedDocuments = usePersistedDocuments({
    ...options.persistedDocuments,
    onReload: () => void warmPlans(),
    // The playground's admins may run any document, and its sign-in is persisted while it is on.
    mayRunAnyDocument: (userId) => playground?.mayRunAnyOperation(userId) ?? false,
    builtInDocuments: options.playground ? PLAYGROUND_PERSISTED_DOCUMENTS : undefined,
    logger: logger.child({ plugin: 'persisted-documents' }),
  });

  // The WebSocket gauges read `subscriptionServer`, made below, at each scrape.
  const metrics = options.metrics?.enabled === false ? undefined : useMetrics({ ...options.metrics, webSockets: () => subscriptionServer });

  const playground = options.playground
    ? usePlayground({
        ...options.playground,
        gatewaySecret: options.gatewaySecret,
        verifyToken: auth.verifyToken,
        secure: options.tls !== undefined,
        introspection: options.introspection ?? false,
        logger: logger.child({ plugin: 'playground' }),
      })
    : undefined;

  const plugins: GatewayPlugin[] = [
    ...(metrics ? [metrics] : []),
    useRequestId({ logger }),
    useSecureHeaders(options.secureHeaders),
    useCors(corsOptions),
    ...(rateLimits ? [rateLimits] : []),
    auth,
    armor,
    persistedDocuments,
    useOperationSelection(),
    useSubgraphErrors({ development }),
    useErrorMasking({ development, logger }),
    ...(playground ? [playground] : []),
    ...(options.plugins ?? []),
  ];
  const responseHeaders = plugins.flatMap((plugin) => Object.entries(plugin.responseHeaders ?? {}));

  // HTTP, or HTTPS with `tls`: every route is served by this one server, and a WebSocket server
  // attaches to it (its 'upgrade' event), so WebSockets are WSS whenever TLS is on.
  const { server: httpServer, scheme, loadCredentials } = createGatewayServer(options.tls);
  const connections = trackConnections(httpServer); // before the routes' 'request' listener: it sets Connection: close while draining
  let apollo: ApolloServer<GatewayContext> | undefined;
  let starting: Promise<GatewayAddress> | undefined;
  let stopping: Promise<void> | undefined;
  let ready = false;
  /** Answers the `redis` check of /readyz (with `redisUrl`); from `start()` to `stop()`. */
  let redisProbe: RedisProbe | undefined;
  let tracing: Tracing | undefined;
  const pool = createConnectionPool(options.connectionPool);
  /** The signed data source of each subgraph (as of the current supergraph), shared by HTTP operations and subscription events. */
  const dataSources = new Map<string, SignedDataSource>();
  const formatError = (formatted: GraphQLFormattedError, error: unknown) =>
    plugins.reduce((current, plugin) => plugin.formatError?.(current, error) ?? current, formatted);

  const subscriptionLogger = logger.child({ component: 'subscriptions' });
  const planLogger = logger.child({ component: 'query-plans' });
  const upstreamConnections = new UpstreamConnections({
    gatewaySecret: options.gatewaySecret,
    tls: () => loadUpstreamTls(options.connectionPool?.tls),
    onUnavailable: (url, reason) => {
      for (const each of instances.values()) each.markDown(url, reason);
    },
    logger: subscriptionLogger,
  });
  const subscriptionExecutor = new FederatedSubscriptions({
    dataSource: (name) => dataSources.get(name),
    subgraphUrl: (name, planner) => instances.get(name)?.pick() ?? planner.subgraphUrls.get(name),
    upstream: upstreamConnections,
    shareIdentical: options.subscriptions ? options.subscriptions.shareIdentical : undefined,
    logger: subscriptionLogger,
  });
  // graphql-ws at /graphql on the same server (WSS with TLS); it attaches to 'upgrade' now and serves once the server listens.
  const subscriptionServer =
    options.subscriptions === false
      ? undefined
      : createSubscriptionServer({
          ...options.subscriptions,
          httpServer,
          executor: subscriptionExecutor,
          verifyToken: auth.verifyToken,
          limits: armor.limits,
          persistedDocuments,
          rateLimits,
          allowedOrigins: corsOptions.origins ?? [],
          trustedProxies,
          formatError,
          logger: subscriptionLogger,
        });

  const queryPlanCache = new QueryPlanStore(options.queryPlanCacheMib, metrics?.queryPlanLookup);
  /** The warm-up of the supergraph in force (see warmQueryPlans); start() waits for the first. */
  let planWarmup: Promise<void> = Promise.resolve();
  function warmPlans(): Promise<void> {
    const planner = subscriptionExecutor.planner;
    if (!planner) return planWarmup;
    const previous = planWarmup;
    planWarmup = previous.then(async () => {
      try {
        const result = await warmQueryPlans({
          planner,
          cache: queryPlanCache,
          documents: persistedDocuments.documents().values(),
          isCurrent: () => !stopping && subscriptionExecutor.planner === planner,
          logger: planLogger,
        });
        if (result.completed) planLogger.info(result, 'query plans of the persisted documents warmed');
      } catch (error) {
        planLogger.error({ err: error }, 'warming the query plans failed; documents are planned at their first request');
      }
    });
    return planWarmup;
  }

  function buildApollo(): ApolloServer<GatewayContext> {
    const gateway = new ApolloGateway({
      queryPlannerConfig: { cache: queryPlanCache },
      supergraphSdl: createSupergraphSource({
        location: options.supergraph ?? DEFAULT_SUPERGRAPH_FILE,
        pollIntervalMs: options.supergraphPollIntervalMs ?? DEFAULT_SUPERGRAPH_POLL_INTERVAL_MS,
        watchDebounceMs: options.supergraphWatchDebounceMs,
        logger: logger.child({ component: 'supergraph' }),
      }),
      buildService: ({ name, url }) => {
        const override = subgraphUrlOverrides[name];
        const targets = override === undefined ? (url ? [url] : []) : typeof override === 'string' ? [override] : override;
        const target = targets[0];
        if (!target) throw new Error(`The supergraph gives no URL for subgraph "${name}"; set SUBGRAPH_${name.toUpperCase()}_URL.`);
        subgraphUrls.set(name, target);
        const dataSource = new SignedDataSource({
          name,
          url: target,
          instances: instancesOf(name, targets),
          gatewaySecret: options.gatewaySecret,
          pool,
          timeoutMs: options.subgraphTimeoutMs ?? DEFAULT_SUBGRAPH_TIMEOUT_MS,
          metrics: metrics?.subgraphFetches,
          propagateTraceContext: options.tracing !== undefined,
          logger: logger.child({ component: 'upstream' }),
        });
        dataSources.set(name, dataSource);
        return dataSource;
      },
      logger: logger.child({ component: 'apollo-gateway' }),
      __exposeQueryPlanExperimental: development,
    });
    // Subscriptions plan with the same supergraph: a new planner on every load, live ones completed (SUPERGRAPH_RELOADED).
    gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
      try {
        subscriptionExecutor
          .reload(new SubscriptionPlanner(coreSupergraphSdl))
          .catch((error: unknown) => subscriptionLogger.error({ err: error }, 'closing the subgraph WebSockets failed'));
      } catch (error) {
        subscriptionLogger.error({ err: error }, 'cannot plan subscriptions on the new supergraph; keeping the previous planner');
        return; // the plans the previous planner would warm belong to the previous supergraph
      }
      void warmPlans();
    });
    return new ApolloServer<GatewayContext>({
      gateway,
      csrfPrevention: true,
      allowBatchedHttpRequests: false,
      // Automatic persisted queries would let any client register documents: the persisted-documents plugin answers ids instead.
      persistedQueries: false,
      validationRules: plugins.flatMap((plugin) => plugin.validationRules ?? []),
      parseOptions: Object.assign({}, ...plugins.map((plugin) => plugin.parseOptions)),
      // With admins in the playground, Apollo Server answers introspection and the playground plugin refuses it to everyone else.
      introspection: (options.introspection ?? false) || (playground?.introspectionForAdmins ?? false),
      includeStacktraceInErrorResponses: development,
      stopOnTerminationSignals: false,
      logger: logger.child({ component: 'apollo-server' }),
      formatError,
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
    const context: GatewayContext = { requestId: newRequestId(), userId: null, clientIp: clientAddress(req, trustedProxies) };
    metrics?.track(context, res);
    const request: GatewayRequest = { method, headers: req.headers, context, setResponseHeader: (name, value) => res.setHeader(name, value) };
    for (const plugin of plugins) {
      const early = await plugin.onRequest?.(request);
      if (early) return sendEmpty(res, early.status, early.headers);
    }
    if (method !== 'GET' && method !== 'POST') {
      throw new GatewayHttpError(405, GatewayErrorCode.BAD_REQUEST, 'Send GraphQL requests with POST, or GET for queries.', { allow: 'GET, POST' });
    }
    if (responseMediaType(req.headers.accept) === null) throw notAcceptable();
    const body = method === 'POST' ? await readJsonBody(req, maxBodyBytes) : undefined;
    const params = method === 'POST' ? graphQLParamsFromBody(body) : graphQLParamsFromSearch(url.searchParams);
    for (const plugin of plugins) await plugin.onParams?.(request, params);
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest:
        method === 'POST'
          ? { method, headers, search: url.search, body: bodyWithGraphQLParams(body as Record<string, unknown>, params) }
          : { method, headers, search: searchWithGraphQLParams(url.searchParams, params), body: undefined },
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

  /** /readyz: `supergraph` (`not loaded` until it is), `redis` with `redisUrl`, or `server: stopping`. */
  async function readiness(): Promise<ReadinessReport> {
    if (stopping) return readinessReport('gateway', { server: { status: 'failing', reason: 'stopping' } });
    const probe = redisProbe;
    const dependencies = probe ? await runReadinessChecks({ redis: () => probe.ping() }, options.readinessTimeoutMs ?? READINESS_CHECK_TIMEOUT_MS) : {};
    return readinessReport('gateway', { supergraph: ready ? { status: 'ok' } : { status: 'failing', reason: 'not loaded' }, ...dependencies });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway.internal');
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok', service: 'gateway' });
    if (url.pathname === '/readyz') {
      const report = await readiness();
      return sendJson(res, report.status === 'ready' ? 200 : 503, report, { 'cache-control': 'no-store' });
    }
    if (url.pathname === METRICS_PATH && metrics) return metrics.serve(req, res);
    if (playground && (await playground.handle(req, res, url))) return;
    if (url.pathname === '/graphql') {
      // Until the supergraph is loaded Apollo Server would hold the request; a client is better told to come back.
      if (!apollo || !ready) {
        throw new GatewayHttpError(503, GatewayErrorCode.UNAVAILABLE, `The gateway is ${stopping ? 'stopping' : 'starting'}; try again shortly.`, { 'retry-after': '1' });
      }
      return handleGraphQL(req, res, url, apollo);
    }
    throw new GatewayHttpError(404, GatewayErrorCode.NOT_FOUND, `No route for ${url.pathname}.`);
  }

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of responseHeaders) res.setHeader(name, value);
    route(req, res).catch((error: unknown) => {
      if (error instanceof GatewayHttpError) {
        metrics?.countEdgeError(res, error.code);
        return sendHttpError(res, error, responseMediaType(req.headers.accept) ?? JSON_MEDIA_TYPE);
      }
      if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') return res.destroy(); // the client went away mid-request
      const requestId = String(res.getHeader(REQUEST_ID_HEADER) ?? newRequestId());
      logger.error({ err: error, requestId }, 'request failed');
      metrics?.countEdgeError(res, GatewayErrorCode.INTERNAL_SERVER_ERROR);
      if (res.headersSent) return res.destroy();
      sendJson(res, 500, {
        errors: [{ message: 'Internal server error.', extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR, requestId } }],
      });
    });
  });

  async function listen(): Promise<GatewayAddress> {
    await Promise.all([loadCredentials(), pool.open(), upstreamConnections.open()]);
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port ?? DEFAULT_PORT, options.host ?? '127.0.0.1', () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    const { port } = httpServer.address() as AddressInfo;
    const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
    return { url: `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}/graphql`, port };
  }

  /** Each plugin's `stop`, in reverse order; a failure is logged, the others still stop. */
  async function stopPlugins(): Promise<void> {
    for (const plugin of [...plugins].reverse()) {
      await plugin.stop?.().catch((error: unknown) => logger.error({ err: error, plugin: plugin.name }, 'plugin failed to stop'));
    }
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
        tracing = options.tracing ? createTracing('gateway', options.tracing, { global: true }) : undefined;
        try {
          for (const plugin of plugins) await plugin.start?.();
        } catch (error) {
          await stopPlugins();
          throw error;
        }
        const address = await listen();
        redisProbe = options.redisUrl ? createRedisProbe(options.redisUrl, { name: 'gateway-readiness' }) : undefined;
        const server = buildApollo();
        apollo = server;
        try {
          await server.start();
        } catch (error) {
          apollo = undefined;
          await redisProbe?.close();
          await closeHttpServer();
          await pool.close();
          await stopPlugins();
          throw error;
        }
        await planWarmup;
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
        // WebSockets first: their subscriptions complete and the sockets close (1001), so the HTTP drain below can finish.
        await subscriptionServer?.stop();
        if (apollo) await apollo.stop(); // the drain plugin closes the listener and waits for in-flight requests
        await closeHttpServer();
        for (const each of instances.values()) each.close();
        await pool.close();
        await redisProbe?.close();
        await stopPlugins();
        await tracing?.shutdown(); // exports the spans still buffered
        logger.info('gateway stopped');
      })();
      return stopping;
    },
    reloadTls: () => loadCredentials(),
    drain: (timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS) => connections.drain(timeoutMs),
  };
}
