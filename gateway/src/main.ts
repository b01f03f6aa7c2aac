import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { superviseWorkers } from './cluster/primary.js';
import { connectToPrimary } from './cluster/worker.js';
import { ConfigError, disableApolloTelemetryByDefault, readGatewayConfig, type GatewayConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { tracingOptionsFromConfig } from '@mega/subgraph-kit/tracing';

const { values } = parseArgs({ options: { supergraph: { type: 'string' }, workers: { type: 'string' } }, strict: true });

let config: GatewayConfig;
try {
  config = readGatewayConfig(process.env, { supergraph: values.supergraph, workers: values.workers });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

if (config.workers > 1 && cluster.isPrimary) {
  superviseCluster(config, createLogger(config.logLevel).child({ role: 'primary' }));
} else {
  await serve(config);
}

/**
 * GATEWAY_WORKERS > 1: this process serves nothing; it forks the workers (each runs this file and
 * `serve`), replaces one that crashes, replaces them all one at a time on SIGHUP (a rolling
 * restart: a new build, supergraph or certificate), and stops them on SIGTERM or SIGINT.
 */
function superviseCluster(config: GatewayConfig, logger: Logger): void {
  if (!config.redisUrl) {
    logger.warn({ workers: config.workers }, 'rate limits are counted in each worker (no REDIS_URL): a client gets up to GATEWAY_WORKERS times its limit');
  }
  logger.info({ workers: config.workers, port: config.port }, 'starting gateway workers');
  // A worker drains (up to SHUTDOWN_TIMEOUT_MS), then stops (as long again at most).
  const supervisor = superviseWorkers({ workers: config.workers, logger, stopTimeoutMs: 2 * config.shutdownTimeoutMs + 5_000 });
  void supervisor.gaveUp.then((code) => process.exit(code));
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    void supervisor.stop().then((code) => process.exit(code));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', () => {
    supervisor.rollingRestart().catch((error: unknown) => logger.error({ err: error }, 'rolling restart abandoned; the workers that were serving still are'));
  });
}

/** One gateway in this process: the only one (GATEWAY_WORKERS=1), or a cluster worker. */
async function serve(config: GatewayConfig): Promise<void> {
  // First: a stop the primary sends while this worker starts is kept until it can be honoured.
  const primary = cluster.isWorker ? connectToPrimary() : undefined;

  // Before @apollo/gateway is loaded: it reports usage to Apollo unless this is set.
  disableApolloTelemetryByDefault();
  const { createGateway } = await import('./app.js');

  const logger = cluster.worker ? createLogger(config.logLevel).child({ worker: cluster.worker.id, pid: process.pid }) : createLogger(config.logLevel);
  const gateway = createGateway({
    port: config.port,
    host: config.host,
    gatewaySecret: config.gatewaySecret,
    supergraph: config.supergraph,
    supergraphPollIntervalMs: config.supergraphPollIntervalMs,
    subgraphUrls: config.subgraphUrls,
    subgraphHealthCheckIntervalMs: config.subgraphHealthCheckIntervalMs,
    jwksUrl: config.jwksUrl,
    subgraphTimeoutMs: config.subgraphTimeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    queryPlanCacheMib: config.queryPlanCacheMib,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    tls: config.tls,
    connectionPool: { tls: config.upstreamTls },
    development: config.env === 'development',
    introspection: config.env !== 'production',
    cors: { origins: config.corsOrigins },
    redisUrl: config.redisUrl,
    trustProxy: config.trustProxy,
    rateLimits: config.rateLimits,
    armor: config.operationLimits,
    subscriptions: config.subscriptions,
    persistedDocuments: { dir: config.persistedDocumentsDir, requirePersistedDocuments: config.requirePersistedDocuments },
    playground: config.playground,
    metrics: { ...config.metrics, cluster: primary?.metrics },
    tracing: config.tracing ? tracingOptionsFromConfig(config.tracing) : undefined,
    logger,
  });

  let stopping = false;
  /** `drain` first when another worker takes over the port (a rolling restart). */
  const shutdown = (why: Record<string, unknown>, drain: boolean) => {
    stopping = true;
    logger.info(why, 'shutting down');
    (drain ? gateway.drain() : Promise.resolve()).then(() => gateway.stop()).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    shutdown({ signal }, false);
  };
  if (primary) {
    // A terminal's Ctrl-C reaches the whole process group: the primary stops its workers itself.
    process.on('SIGINT', () => undefined);
    primary.onStop((drain) => stopping || shutdown({ by: 'primary', drain }, drain));
    process.on('disconnect', () => stopping || shutdown({ by: 'primary gone' }, false));
  }

  try {
    await gateway.start();
  } catch (error) {
    logger.fatal({ err: error }, 'gateway failed to start');
    await gateway.stop();
    process.exit(1);
  }
  primary?.ready();

  process.on('SIGTERM', onSignal);
  if (!primary) process.on('SIGINT', onSignal);

  // SIGHUP after renewing TLS_CERT_FILE/TLS_KEY_FILE: new connections get the new certificate, no restart.
  if (config.tls) {
    process.on('SIGHUP', () => {
      gateway.reloadTls().then(
        () => logger.info({ certFile: config.tls?.certFile }, 'TLS certificate reloaded'),
        (error: unknown) => logger.error({ err: error }, 'TLS certificate reload failed; the previous certificate stays in use'),
      );
    });
  }
}
