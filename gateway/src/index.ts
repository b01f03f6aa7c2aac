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
  readGatewayConfig,
  type CommandLineOverrides,
  type GatewayConfig,
} from './config.js';
export type { GatewayContext } from './context.js';
export { GatewayErrorCode, GatewayHttpError } from './errors.js';
export { createLogger, type Logger } from './logger.js';
export {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_JWKS_TIMEOUT_MS,
  DEFAULT_TOKEN_AUDIENCE,
  DEFAULT_TOKEN_ISSUER,
  JWKS_PATH,
  jwksUrlFromAccountsUrl,
  useAuth,
  type AuthOptions,
} from './plugins/auth.js';
export { MASKED_ERROR_CODES, MASKED_ERROR_MESSAGE, useErrorMasking, type ErrorMaskingOptions } from './plugins/error-masking.js';
export type { GatewayPlugin, GatewayRequest } from './plugins/plugin.js';
export { REQUEST_ID_HEADER, useRequestId } from './plugins/request-id.js';
export { INTERNAL_EXTENSIONS, useSubgraphErrors, type SubgraphErrorsOptions } from './plugins/subgraph-errors.js';
export { DEFAULT_CONNECTIONS_PER_ORIGIN, DEFAULT_KEEP_ALIVE_TIMEOUT_MS, type ConnectionPoolOptions } from './upstream/connection-pool.js';
