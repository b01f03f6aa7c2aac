import { parseArgs } from 'node:util';
import { ConfigError, disableApolloTelemetryByDefault, readGatewayConfig } from './config.js';
import { createLogger } from './logger.js';
import { tracingOptionsFromConfig } from '@mega/subgraph-kit/tracing';

const { values } = parseArgs({ options: { supergraph: { type: 'string' } }, strict: true });

let config;
try {
  config = readGatewayConfig(process.env, { supergraph: values.supergraph });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

// Before @apollo/gateway is loaded: it reports usage to Apollo unless this is set.
disableApolloTelemetryByDefault();
const { createGateway } = await import('./app.js');

const logger = createLogger(config.logLevel);
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
  metrics: config.metrics,
  tracing: config.tracing ? tracingOptionsFromConfig(config.tracing) : undefined,
  logger,
});

try {
  await gateway.start();
} catch (error) {
  logger.fatal({ err: error }, 'gateway failed to start');
  await gateway.stop();
  process.exit(1);
}

let stoppingBySignal = false;
const onSignal = (signal: NodeJS.Signals) => {
  if (stoppingBySignal) process.exit(1);
  stoppingBySignal = true;
  logger.info({ signal }, 'shutting down');
  gateway.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// SIGHUP after renewing TLS_CERT_FILE/TLS_KEY_FILE: new connections get the new certificate, no restart.
if (config.tls) {
  process.on('SIGHUP', () => {
    gateway.reloadTls().then(
      () => logger.info({ certFile: config.tls?.certFile }, 'TLS certificate reloaded'),
      (error: unknown) => logger.error({ err: error }, 'TLS certificate reload failed; the previous certificate stays in use'),
    );
  });
}
