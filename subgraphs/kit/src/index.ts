import 'reflect-metadata';
export { DEFAULT_PORTS, parseEnvironment, readSubgraphConfig, type SubgraphConfig, type SubgraphName } from './config.js';
export { requireViewer, type BaseContext } from './context.js';
export { DEFAULT_DEVELOPMENT_CORS_ORIGINS, parseCorsOrigins, type ParsedCorsOrigins } from './cors.js';
export { openDatabase, PGLITE_SETTINGS, QueryCounter, type Database, type DatabaseHandle, type DatabaseOptions } from './database.js';
export { DEMO_CONVERSATIONS, DEMO_PRODUCTS, DEMO_USERS, demoId, type DemoUser } from './demo.js';
export { badUserInput, conflict, ErrorCode, forbidden, notFound, payloadTooLarge, quotaExceeded, unauthenticated } from './errors.js';
export { clientMutationsTable, MAX_CLIENT_MUTATION_ID_LENGTH, runOnce, type ClientMutationsTable } from './idempotency.js';
export { createEventBus, DEFAULT_MAX_PENDING_EVENTS, endingWith, type EventBus, type EventBusOptions, type EventMap, type EventStream } from './events.js';
export {
  DEFAULT_MAX_SKEW_MS,
  identityHeaders,
  IdentityHeader,
  NonceCache,
  signIdentity,
  signSubscription,
  SUBSCRIPTION_IDENTITY_EXTENSION,
  verifyIdentity,
  verifySubscription,
  type Identity,
  type SignedRequest,
  type SubscriptionOperation,
  type VerifyResult,
} from './identity.js';
export { launchSubgraph, startOptionsFromConfig, type RunningSubgraph, type SubgraphDefinition, type SubgraphStartOptions } from './launch.js';
export { createLogger, type Logger } from './logger.js';
export {
  ANONYMOUS_OPERATION,
  countClientMutationReplay,
  createMetricsRegistry,
  DEFAULT_MAX_OPERATION_LABELS,
  DURATION_BUCKETS,
  errorCodes,
  GraphQLRequestMetrics,
  METRICS_PATH,
  METRICS_PREFIX,
  metricsJson,
  metricsText,
  MIN_METRICS_TOKEN_LENGTH,
  OTHER_OPERATIONS,
  parseMetricsSettings,
  requestMetricsPlugin,
  secondsSince,
  serveMetrics,
  SubgraphMetrics,
  type DatabasePoolUse,
  type MeasuredRequest,
  type MetricsOptions,
  type MetricsSource,
  type OperationType,
} from './metrics.js';
export {
  connectionTypes,
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  MAX_PAGE_SIZE,
  PageInfo,
  pageSize,
  toConnection,
  type Connection,
  type Edge,
} from './pagination.js';
export { connectRedis, createRedisProbe, REDIS_CONNECT_TIMEOUT_MS, type RedisProbe } from './redis.js';
export {
  READINESS_CHECK_TIMEOUT_MS,
  readinessReport,
  runReadinessCheck,
  runReadinessChecks,
  type ReadinessCheck,
  type ReadinessCheckResult,
  type ReadinessReport,
} from './readiness.js';
export { isUuid, uniqueViolation } from './postgres-errors.js';
export { buildFederatedSchema, DateTimeScalar, emitSubgraphSchema, type ReferenceResolvers } from './schema.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  listenSubgraphServer,
  STARTING_RETRY_AFTER_SECONDS,
  startSubgraphServer,
  type ListeningSubgraphServer,
  type RouteHandler,
  type SubgraphApp,
  type SubgraphListenOptions,
  type SubgraphServer,
  type SubgraphServerOptions,
} from './server.js';
export { stopOnSignals } from './shutdown.js';
export { DEFAULT_CONNECTION_INIT_TIMEOUT_MS, DEFAULT_KEEP_ALIVE_MS, sharedEvent, SubgraphCloseCode } from './subscriptions.js';
export { createSubgraphHttpServer, MIN_TLS_VERSION, type SubgraphTlsOptions } from './tls.js';
