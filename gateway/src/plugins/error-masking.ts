import type { GraphQLFormattedError } from 'graphql';
import { GatewayErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { GatewayPlugin } from './plugin.js';

/** Codes that say nothing a client may see: their message is replaced outside development. */
export const MASKED_ERROR_CODES: ReadonlySet<string> = new Set([GatewayErrorCode.INTERNAL_SERVER_ERROR, 'DOWNSTREAM_SERVICE_ERROR']);

/** The message every masked error gets. */
export const MASKED_ERROR_MESSAGE = 'Internal server error.';

export interface ErrorMaskingOptions {
  /** Show unexpected errors as they are (with `extensions.stacktrace`). @default false */
  development?: boolean;
  logger: Logger;
}

function isUnexpected(error: GraphQLFormattedError): boolean {
  const code = error.extensions?.code;
  return typeof code !== 'string' || MASKED_ERROR_CODES.has(code);
}

/**
 * Error masking at the edge: an error without a code, or with `INTERNAL_SERVER_ERROR`, reaches the
 * client as `{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }`
 * (plus `serviceName` when it came from a subgraph, and `requestId` from the request-id plugin),
 * and is logged in full with the request id. In development it is left as it is.
 */
export function useErrorMasking(options: ErrorMaskingOptions): GatewayPlugin {
  const { logger } = options;
  return {
    name: 'error-masking',
    formatError(formatted) {
      if (options.development || !isUnexpected(formatted)) return formatted;
      const serviceName = formatted.extensions?.serviceName;
      return {
        message: MASKED_ERROR_MESSAGE,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR, ...(serviceName ? { serviceName } : {}) },
      };
    },
    apollo: {
      async requestDidStart() {
        return {
          async didEncounterErrors({ errors, contextValue }) {
            for (const error of errors) {
              const code = error.extensions?.code;
              if (typeof code === 'string' && !MASKED_ERROR_CODES.has(code)) continue;
              logger.error(
                { err: error.originalError ?? error, path: error.path, serviceName: error.extensions?.serviceName, requestId: contextValue.requestId },
                'unexpected error',
              );
            }
          },
        };
      },
    },
  };
}
