import { GraphQLError } from 'graphql';
import { GatewayErrorCode } from '../errors.js';
import type { GatewayPlugin } from './plugin.js';

/**
 * Which operation of a document runs, decided before execution so that a client's mistake is a
 * 400 `BAD_REQUEST` that says what to send: @apollo/gateway would answer a missing or unknown
 * `operationName` with 500 `INVALID_GRAPHQL`, and a subscription over HTTP (it cannot execute one)
 * with 500 `INTERNAL_SERVER_ERROR`. Subscriptions run over graphql-ws at the same URL.
 */
export function useOperationSelection(): GatewayPlugin {
  const badRequest = (message: string) => new GraphQLError(message, { extensions: { code: GatewayErrorCode.BAD_REQUEST, http: { status: 400 } } });
  return {
    name: 'operation-selection',
    apollo: {
      async requestDidStart() {
        return {
          async didResolveOperation({ operation, request, document }) {
            if (!operation) {
              const named = request.operationName;
              const count = document.definitions.filter((definition) => definition.kind === 'OperationDefinition').length;
              throw badRequest(
                named
                  ? `The document has no operation named "${named}".`
                  : count > 1
                    ? 'The document has several operations: say which to run with operationName.'
                    : 'The document has no operation to run.',
              );
            }
            if (operation.operation === 'subscription') {
              throw badRequest('Subscriptions run over WebSocket (the graphql-ws protocol) at this URL, not over HTTP.');
            }
          },
        };
      },
    },
  };
}
