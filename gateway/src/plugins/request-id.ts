import { randomUUID } from 'node:crypto';
import type { GraphQLFormattedError } from 'graphql';
import { GatewayErrorCode } from '../errors.js';
import type { GatewayPlugin } from './plugin.js';

/** The response header that carries the request id. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** A fresh id for one incoming request (never taken from the client, so logs can trust it). */
export function newRequestId(): string {
  return randomUUID();
}

function withRequestId(error: GraphQLFormattedError, requestId: string): GraphQLFormattedError {
  if (error.extensions?.code !== GatewayErrorCode.INTERNAL_SERVER_ERROR) return error;
  return { ...error, extensions: { ...error.extensions, requestId } };
}

/**
 * Request ids: every response to /graphql carries `x-request-id`, and every masked
 * `INTERNAL_SERVER_ERROR` carries `extensions.requestId`, so that a report can be matched with the
 * gateway's and the subgraphs' logs (the subgraphs receive the same id, signed).
 */
export function useRequestId(): GatewayPlugin {
  return {
    name: 'request-id',
    onRequest(request) {
      request.setResponseHeader(REQUEST_ID_HEADER, request.context.requestId);
    },
    apollo: {
      async requestDidStart() {
        return {
          async willSendResponse({ response, contextValue }) {
            if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
            const { singleResult } = response.body;
            singleResult.errors = singleResult.errors!.map((error) => withRequestId(error, contextValue.requestId));
          },
        };
      },
    },
  };
}
