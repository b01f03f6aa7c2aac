import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import type { SubgraphConfig, SubgraphName } from './config.js';
import { openDatabase, type Database, type DatabaseHandle } from './database.js';
import type { BaseContext } from './context.js';
import type { Identity } from './identity.js';
import { createLogger, type Logger } from './logger.js';
import type { MetricsOptions } from './metrics.js';
import { READINESS_CHECK_TIMEOUT_MS, runReadinessChecks, type ReadinessCheck, type ReadinessCheckResult } from './readiness.js';
import { createRedisProbe } from './redis.js';
import { listenSubgraphServer, type RouteHandler, type SubgraphServer } from './server.js';
import type { SubgraphTlsOptions } from './tls.js';
import { createTracing, tracingOptionsFromConfig, type TracingOptions } from './tracing.js';

/** What a deployment decides about any subgraph; `main.ts` fills it from the environment, tests by hand. */
export interface SubgraphStartOptions {
  /** Port 0 picks a free one. */
  port: number;
  /** @default '127.0.0.1' */
  host?: string;
  gatewaySecret: string;
  /** Also accepted while the shared secret is rotated. */
  previousGatewaySecret?: string | undefined;
  /** A PostgreSQL URL, or a PGlite data directory; neither means in-memory PGlite. */
  database: { url?: string | undefined; dataDir?: string | undefined; poolSize?: number };
  logger?: Logger;
  /** Redis shared by the instances of a subgraph (throttling, pub/sub); absent: in process. */
  redisUrl?: string | undefined;
  /** Seed the demo world when the database is empty. @default false */
  seedDemoData?: boolean;
  /** Error details in responses. @default false */
  development?: boolean;
  /** @default 10000 */
  shutdownTimeoutMs?: number;
  /** Serve HTTPS and require a client certificate (mutual TLS with the gateway). @default plain HTTP */
  tls?: SubgraphTlsOptions | undefined;
  /** `GET /metrics`: whether it is served and the bearer token it requires. @default served, no token */
  metrics?: MetricsOptions | undefined;
  /** Spans of requests, resolvers and SQL, under the subgraph's own tracer provider (`createTracing`). @default off */
  tracing?: TracingOptions | undefined;
  /** How long each /readyz check (database, Redis) may take before it counts as failing. @default READINESS_CHECK_TIMEOUT_MS (1 s) */
  readinessTimeoutMs?: number;
  /** Told the address as soon as the server listens, before migrations run (tests watch the start-up there). */
  onListening?: (address: { url: string; port: number }) => void;
}

/** What a subgraph package tells {@link launchSubgraph} about itself. */
export interface SubgraphDefinition<TTables extends Record<string, unknown>, TServices, TContext extends BaseContext> {
  service: SubgraphName;
  tables: TTables;
  migrationsFolder: string;
  /** Builds the schema; subscriptions get the instance's event bus from `services` (no other side effects). */
  schema: (services: TServices) => Promise<GraphQLSchema>;
  /** Long-lived stores and helpers built once over the database (and Redis, when configured). */
  services: (db: Database<TTables>, logger: Logger, options: SubgraphStartOptions) => TServices | Promise<TServices>;
  /** Releases what `services` opened (Redis clients, ...); called after the server has stopped. */
  dispose?: (services: TServices) => Promise<void>;
  /** The per-request context. */
  context: (services: TServices, identity: Identity) => TContext;
  /** Writes the demo data; called only when seeding is on. Must be a no-op when the data exists. */
  seed?: (services: TServices, logger: Logger) => Promise<void>;
  /** Paths served besides /graphql. */
  routes?: (services: TServices) => RouteHandler;
  /** Background work (workers, timers); the returned function stops it. */
  background?: (services: TServices, logger: Logger) => () => Promise<void>;
}

export interface RunningSubgraph<TTables extends Record<string, unknown>, TServices> extends SubgraphServer {
  database: DatabaseHandle<TTables>;
  services: TServices;
}

/**
 * The whole start-up of any subgraph: listens (/healthz 200; /readyz 503 with the `migrations`
 * check failing, `running`; every other path 503 `UNAVAILABLE`), opens the database, migrates,
 * seeds, then serves. From then on /readyz pings the database and, when configured, Redis, each
 * within `readinessTimeoutMs`.
 * @returns once the subgraph serves
 * @throws when the port is taken, or the database, a migration, the services or the seed fail (the server is stopped first)
 */
export async function launchSubgraph<TTables extends Record<string, unknown>, TServices, TContext extends BaseContext>(
  definition: SubgraphDefinition<TTables, TServices, TContext>,
  options: SubgraphStartOptions,
): Promise<RunningSubgraph<TTables, TServices>> {
  const logger = options.logger ?? createLogger(definition.service);
  const tracing = options.tracing ? createTracing(definition.service, options.tracing) : undefined;
  const redisProbe = options.redisUrl ? createRedisProbe(options.redisUrl, { name: `${definition.service}-readiness` }) : undefined;
  let database: DatabaseHandle<TTables> | undefined;
  /** Where the start-up is: /readyz reports it until the subgraph serves. */
  let startup: 'migrations' | 'seeding the demo data' | 'starting' | 'done' = 'migrations';
  const readinessChecks: Record<string, ReadinessCheck> = {
    database: () => database!.ping(),
    ...(redisProbe ? { redis: () => redisProbe.ping() } : {}),
  };
  let stopBackground: (() => Promise<void>) | undefined;
  let disposeServices: (() => Promise<void>) | undefined;
  const server = await listenSubgraphServer({
    service: definition.service,
    port: options.port,
    host: options.host,
    gatewaySecret: options.gatewaySecret,
    previousGatewaySecret: options.previousGatewaySecret,
    logger,
    async readiness(): Promise<Record<string, ReadinessCheckResult>> {
      // The database is not pinged during start-up: embedded PGlite would answer only after the migrations.
      if (startup === 'migrations') return { migrations: { status: 'failing', reason: 'running' } };
      if (startup !== 'done') return { migrations: { status: 'ok' }, startup: { status: 'failing', reason: startup } };
      return { migrations: { status: 'ok' }, ...(await runReadinessChecks(readinessChecks, options.readinessTimeoutMs ?? READINESS_CHECK_TIMEOUT_MS)) };
    },
    development: options.development,
    shutdownTimeoutMs: options.shutdownTimeoutMs,
    tls: options.tls,
    metrics: options.metrics,
    poolUse: () => database?.poolUse() ?? { total: 0, max: 0 },
    tracer: tracing?.tracer,
    onStop: async () => {
      await stopBackground?.();
      await disposeServices?.();
      await database?.close();
      await redisProbe?.close();
      await tracing?.shutdown();
    },
  }).catch(async (error: unknown) => {
    await redisProbe?.close();
    await tracing?.shutdown();
    throw error;
  });
  options.onListening?.({ url: server.url, port: server.port });
  try {
    database = await openDatabase({
      service: definition.service,
      schema: definition.tables,
      migrationsFolder: definition.migrationsFolder,
      url: options.database.url,
      dataDir: options.database.dataDir,
      ...(options.database.poolSize ? { poolSize: options.database.poolSize } : {}),
      onConnectionError: (error) => logger.warn({ err: error }, 'database connection lost; the pool replaces it'),
      tracer: tracing?.tracer,
    });
    logger.info('running migrations');
    await database.migrate();
    startup = 'starting';
    const services = await definition.services(database.db, logger, options);
    disposeServices = definition.dispose ? () => definition.dispose!(services) : undefined;
    if (options.seedDemoData && definition.seed) {
      startup = 'seeding the demo data';
      await definition.seed(services, logger);
      startup = 'starting';
    }
    stopBackground = definition.background?.(services, logger);
    await server.serve({
      schema: await definition.schema(services),
      context: (identity) => definition.context(services, identity),
      routes: definition.routes?.(services),
    });
    startup = 'done';
    return { url: server.url, port: server.port, stop: () => server.stop(), database, services };
  } catch (error) {
    // stop() runs onStop: the background work, the services, the database and the Redis probe close with the server.
    await server.stop().catch(() => undefined);
    throw error;
  }
}

/** Maps a subgraph's environment configuration to start options. */
export function startOptionsFromConfig(config: SubgraphConfig, logger: Logger): SubgraphStartOptions {
  return {
    port: config.port,
    host: config.host,
    gatewaySecret: config.gatewaySecret,
    previousGatewaySecret: config.previousGatewaySecret,
    database: config.databaseUrl ? { url: config.databaseUrl } : { dataDir: path.join(config.dataDir, 'pgdata') },
    redisUrl: config.redisUrl,
    logger,
    seedDemoData: config.seed,
    development: config.env === 'development',
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    tls: config.tls,
    metrics: config.metrics,
    tracing: config.tracing ? tracingOptionsFromConfig(config.tracing) : undefined,
  };
}
