import { randomUUID } from 'node:crypto';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '../logger.js';
import type { GatewayPlugin } from './plugin.js';

/** The response header that carries the request id. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** A fresh id for one incoming request (never taken from the client, so logs can trust it). */
export function newRequestId(): string {
  return randomUUID();
}

function withRequestId(error: GraphQLFormattedError, requestId: string): GraphQLFormattedError {
  return { ...error, extensions: { ...error.extensions, requestId } };
}

export interface RequestIdOptions {
  /** Where each GraphQL request's access-log line goes (info). */
  logger: Logger;
}

/**
 * Request ids: every response to /graphql carries `x-request-id` and every error its
 * `extensions.requestId`; the subgraphs receive the same id, signed, and log it with each request
 * they serve. One line per request in the gateway's log (`graphql request`: operation, user,
 * duration, error codes; never variables, which may hold passwords or tokens), so one user action
 * can be followed through every process by its id.
 */
export function useRequestId({ logger }: RequestIdOptions): GatewayPlugin {
  return {
    name: 'request-id',
    onRequest(request) {
      request.setResponseHeader(REQUEST_ID_HEADER, request.context.requestId);
    },
    apollo: {
      async requestDidStart({ contextValue }) {
        const startedAt = performance.now();
        return {
          async willSendResponse({ response, operationName, request }) {
            const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
            if (response.body.kind === 'single' && errors) {
              response.body.singleResult.errors = errors.map((error) => withRequestId(error, contextValue.requestId));
            }
            logger.info(
              {
                requestId: contextValue.requestId,
                operationName: operationName ?? request.operationName ?? null,
                userId: contextValue.userId,
                durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
                ...(errors?.length ? { errorCodes: [...new Set(errors.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))] } : {}),
              },
              'graphql request',
            );
          },
        };
      },
    },
  };
}
