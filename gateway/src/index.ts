export { createGateway, type Gateway, type GatewayAddress, type GatewayOptions } from './app.js';
export { composeRepositorySupergraph, composeSupergraph, CompositionFailedError, SUBGRAPH_NAMES, type SubgraphSchema } from './compose.js';
export {
  ConfigError,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_PORT,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DEFAULT_SUBGRAPH_TIMEOUT_MS,
  DEFAULT_SUPERGRAPH_FILE,
  DEFAULT_SUPERGRAPH_POLL_INTERVAL_MS,
  disableApolloTelemetryByDefault,
  RATE_LIMIT_WINDOW_SECONDS,
  readGatewayConfig,
  type CommandLineOverrides,
  type GatewayConfig,
} from './config.js';
export type { GatewayContext } from './context.js';
export { GatewayErrorCode, GatewayHttpError } from './errors.js';
export { clientAddress } from './http/client-address.js';
export type { GraphQLParams } from './http/graphql-params.js';
export { GRAPHQL_RESPONSE_MEDIA_TYPE, JSON_MEDIA_TYPE, responseMediaType, type ResponseMediaType } from './http/media-types.js';
export { createLogger, type Logger } from './logger.js';
export {
  createOperationLimits,
  DEFAULT_MAX_PAGE_SIZE,
  DEFAULT_OPERATION_LIMITS,
  useArmor,
  withoutSuggestions,
  type ArmorOptions,
  type OperationLimitName,
  type OperationLimits,
} from './plugins/armor.js';
export {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_JWKS_TIMEOUT_MS,
  DEFAULT_TOKEN_AUDIENCE,
  DEFAULT_TOKEN_ISSUER,
  JWKS_PATH,
  jwksUrlFromAccountsUrl,
  useAuth,
  type AuthOptions,
  type VerifiedAccessToken,
  type VerifyAccessToken,
} from './plugins/auth.js';
export {
  CORS_ALLOWED_HEADERS,
  CORS_ALLOWED_METHODS,
  CORS_EXPOSED_HEADERS,
  DEFAULT_CORS_MAX_AGE_SECONDS,
  DEFAULT_DEVELOPMENT_CORS_ORIGINS,
  useCors,
  type CorsOptions,
} from './plugins/cors.js';
export {
  useMetrics,
  type GatewayMetrics,
  type GatewayMetricsOptions,
  type SubgraphFetchFailure,
  type SubgraphFetchMetrics,
  type WebSocketUse,
} from './plugins/metrics.js';
export { MASKED_ERROR_CODES, MASKED_ERROR_MESSAGE, useErrorMasking, type ErrorMaskingOptions } from './plugins/error-masking.js';
export {
  DEFAULT_PERSISTED_DOCUMENTS_DEBOUNCE_MS,
  loadPersistedDocuments,
  normalizeDocumentId,
  PersistedDocumentsError,
  usePersistedDocuments,
  type PersistedDocumentRules,
  type PersistedDocumentsOptions,
} from './plugins/persisted-documents.js';
export type { GatewayEarlyResponse, GatewayPlugin, GatewayRequest } from './plugins/plugin.js';
export {
  DEFAULT_RATE_LIMIT_KEY_PREFIX,
  DEFAULT_RATE_LIMITS,
  useRateLimits,
  type RateLimit,
  type RateLimitChecks,
  type RateLimitsOptions,
} from './plugins/rate-limits.js';
export { REQUEST_ID_HEADER, useRequestId } from './plugins/request-id.js';
export { DEFAULT_SECURE_HEADERS, useSecureHeaders } from './plugins/secure-headers.js';
export { INTERNAL_EXTENSIONS, useSubgraphErrors, type SubgraphErrorsOptions } from './plugins/subgraph-errors.js';
export { DEFAULT_CONNECTIONS_PER_ORIGIN, DEFAULT_KEEP_ALIVE_TIMEOUT_MS, type ConnectionPoolOptions } from './upstream/connection-pool.js';
export { createGatewayServer, HSTS_HEADER_VALUE, MIN_TLS_VERSION, type GatewayServer, type GatewayTlsOptions } from './tls/server-tls.js';
export { loadUpstreamTls, type UpstreamTlsMaterial, type UpstreamTlsOptions } from './tls/upstream-tls.js';
export {
  FederatedSubscriptions,
  subscriptionSubgraphUnavailable,
  supergraphReloaded,
  type FederatedSubscriptionRequest,
  type FederatedSubscriptionsOptions,
} from './subscriptions/federated-subscriptions.js';
export { DEFAULT_PLAN_CACHE_SIZE, SubscriptionPlanner, type SubscriptionPlan } from './subscriptions/subscription-planner.js';
export { DEFAULT_UPSTREAM_KEEPALIVE_MS, UpstreamConnections, webSocketUrl, type UpstreamConnectionsOptions, type UpstreamSink } from './subscriptions/upstream-connections.js';
export { signUpgrade } from './subscriptions/subscription-identity.js';
export {
  createSubscriptionServer,
  DEFAULT_SUBSCRIPTION_LIMITS,
  SubscriptionCloseCode,
  type SubscriptionServerOptions,
  type SubscriptionsOptions,
} from './subscriptions/websocket-server.js';
export { STATIC_CONTENT_TYPES } from './http/static-files.js';
