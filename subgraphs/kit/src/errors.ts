import { GraphQLError } from 'graphql';

/**
 * The stable `extensions.code` values a client can rely on. One catalogue for every subgraph;
 * the gateway adds its own edge codes (see gateway/src/errors.ts).
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
  /** A body or a declared size is over a limit (HTTP 413 at an HTTP edge); `extensions.maxBytes` says the limit where known. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The user's storage quota would be exceeded; `extensions.quotaBytes` and `extensions.usedBytes` say by how much. */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  /** Content that is not of an accepted type, or not of the type it was declared as (HTTP 415 at an HTTP edge). */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  BAD_REQUEST: 'BAD_REQUEST',
  /** The process is starting (migrations, seeding) or stopping: HTTP 503 with `Retry-After`; retry, or try another instance. */
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

function error(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** The caller is not signed in (or the token is invalid). */
export const unauthenticated = (message = 'You must be signed in.') => error(ErrorCode.UNAUTHENTICATED, message);
/** The caller is signed in but may not do this. */
export const forbidden = (message = 'You may not do this.') => error(ErrorCode.FORBIDDEN, message);
/** An argument is malformed or out of range; `argument` names it. */
export const badUserInput = (message: string, argument?: string) =>
  error(ErrorCode.BAD_USER_INPUT, message, argument ? { argument } : {});
/**
 * Nothing with this id exists, or the caller may not know that it exists. Reads answer NOT_FOUND
 * rather than FORBIDDEN for other people's private things so that ids cannot be probed.
 */
export const notFound = (what: string) => error(ErrorCode.NOT_FOUND, `${what} not found.`);
/** The write lost a race or clashes with existing state (a taken handle, a stale version). */
export const conflict = (message: string, extensions: Record<string, unknown> = {}) =>
  error(ErrorCode.CONFLICT, message, extensions);
/** A size is over a limit of `maxBytes`; `argument` names the argument that declared it. */
export const payloadTooLarge = (message: string, maxBytes: number, argument?: string) =>
  error(ErrorCode.PAYLOAD_TOO_LARGE, message, { maxBytes, ...(argument ? { argument } : {}) });
/** The user already stores `usedBytes` of their `quotaBytes`, and the new content does not fit. */
export const quotaExceeded = (message: string, quota: { quotaBytes: number; usedBytes: number }) =>
  error(ErrorCode.QUOTA_EXCEEDED, message, quota);
