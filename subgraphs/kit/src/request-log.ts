import type { ApolloServerPlugin } from '@apollo/server';
import type { BaseContext } from './context.js';
import type { Logger } from './logger.js';

/**
 * One access-log line per GraphQL request a subgraph serves (`graphql request`, info): the
 * gateway's request id (signed with the identity, so it can be trusted), the operation, the user,
 * the duration and the error codes; never variables or results, which may hold passwords or
 * tokens. With the gateway's line of the same id, one user action can be followed through every
 * process it reached.
 */
export function requestLogPlugin(logger: Logger): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart({ contextValue }) {
      const startedAt = performance.now();
      return {
        async willSendResponse({ response, operationName, request }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          logger.info(
            {
              requestId: contextValue.identity?.requestId || null,
              operationName: operationName ?? request.operationName ?? null,
              userId: contextValue.identity?.userId ?? null,
              durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
              ...(errors?.length ? { errorCodes: [...new Set(errors.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))] } : {}),
            },
            'graphql request',
          );
        },
      };
    },
  };
}
