import { GraphQLError } from 'graphql';

/**
 * The `extensions.code` values the gateway itself answers with, on top of the subgraphs' catalogue
 * (`UNAUTHENTICATED`, `FORBIDDEN`, `BAD_USER_INPUT`, `NOT_FOUND`, `CONFLICT`, ... in
 * `@mega/subgraph-kit`) and Apollo Server's (`GRAPHQL_PARSE_FAILED`, `GRAPHQL_VALIDATION_FAILED`,
 * `BAD_USER_INPUT`, `BAD_REQUEST`, `PERSISTED_QUERY_NOT_FOUND`, ...).
 */
export const GatewayErrorCode = {
  /** Missing, invalid, expired or forged access token (HTTP 401). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The request is not a GraphQL request the gateway can read (HTTP 400), e.g. malformed JSON. */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The request body is larger than `maxBodyBytes` (HTTP 413). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** A POST whose content type is not `application/json` (HTTP 415). */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** The `Accept` header allows neither `application/graphql-response+json` nor `application/json` (HTTP 406). */
  NOT_ACCEPTABLE: 'NOT_ACCEPTABLE',
  /**
   * Too many requests from this user or address (HTTP 429). `Retry-After` (header) and
   * `extensions.retryAfterSeconds` say when the next one will be accepted.
   */
  RATE_LIMITED: 'RATE_LIMITED',
  /** Only persisted documents run here (production): send `documentId`, not `query` (HTTP 400). */
  PERSISTED_QUERY_REQUIRED: 'PERSISTED_QUERY_REQUIRED',
  /** No persisted document has the `documentId` (or `persistedQuery.sha256Hash`) sent (HTTP 400). */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** Signed in, but not allowed (HTTP 403), e.g. the production playground for a user who is not an admin. */
  FORBIDDEN: 'FORBIDDEN',
  /** No such path (HTTP 404). */
  NOT_FOUND: 'NOT_FOUND',
  /**
   * A subgraph did not answer (refused, reset, timed out, 5xx). `extensions.serviceName` names it;
   * the other subgraphs' fields are still returned.
   */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /**
   * The supergraph changed while a subscription was live: its last `next` carries this error, then
   * it completes; the client subscribes again (on the new supergraph).
   */
  SUPERGRAPH_RELOADED: 'SUPERGRAPH_RELOADED',
  /**
   * A `subscribe` over the WebSocket beyond `maxSubscriptionsPerConnection` or
   * `maxSubscriptionsPerUser` (`extensions.limit`, `extensions.max`); the connection stays open.
   */
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  /** The gateway is starting (its supergraph is not loaded yet): HTTP 503 with `Retry-After`. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** Anything unexpected; the message is masked and `extensions.requestId` points to the logs. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

/**
 * An answer given at the HTTP edge, before or instead of GraphQL execution. Thrown by the HTTP
 * layer and by plugins' `onRequest`; the gateway sends it as `{ errors: [{ message, extensions }] }`.
 */
export class GatewayHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'GatewayHttpError';
  }

  /** The JSON body sent for this error. */
  toResponseBody(): { errors: { message: string; extensions: Record<string, unknown> }[] } {
    return { errors: [{ message: this.message, extensions: { ...this.extensions, code: this.code } }] };
  }
}

/** `serviceName` did not answer; `reason` is for logs and development responses only. */
export function subgraphUnavailable(serviceName: string, cause: unknown): GraphQLError {
  return new GraphQLError(`The ${serviceName} service is unavailable; its fields are missing from this response.`, {
    originalError: cause instanceof Error ? cause : undefined,
    extensions: { code: GatewayErrorCode.SUBGRAPH_UNAVAILABLE, serviceName },
  });
}

/** `serviceName` answered in a way the gateway cannot use (a contract or configuration problem). */
export function subgraphRequestFailed(serviceName: string, status: number): GraphQLError {
  return new GraphQLError(`The ${serviceName} service refused the gateway's request (HTTP ${status}).`, {
    extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR, serviceName, status },
  });
}
