import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify, type FetchImplementation, type JWTVerifyGetKey } from 'jose';
import { GatewayErrorCode, GatewayHttpError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { GatewayPlugin } from './plugin.js';

/** Issuer (`iss`) of the accounts subgraph's access tokens. */
export const DEFAULT_TOKEN_ISSUER = 'mega-app/accounts';
/** Audience (`aud`) of access tokens. */
export const DEFAULT_TOKEN_AUDIENCE = 'mega-app';
/** The only signature algorithm accepted. */
export const TOKEN_ALGORITHM = 'EdDSA';
/** Where the accounts subgraph serves its public signing keys, relative to its origin. */
export const JWKS_PATH = '/.well-known/jwks.json';
/** Allowed clock difference for `exp`/`nbf`/`iat`. @default 5 seconds */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;
/** How long fetching the key set may take. @default 5000 ms */
export const DEFAULT_JWKS_TIMEOUT_MS = 5_000;
/**
 * How long a verified token is taken as verified without checking its signature again (never past
 * its `exp`). Bounds how long a token signed with a key the accounts subgraph has since withdrawn
 * keeps working. @default 60 seconds
 */
export const DEFAULT_VERIFIED_TOKEN_TTL_MS = 60_000;
/** Verified tokens remembered at most (the oldest is forgotten first). */
const VERIFIED_TOKENS_MAX = 10_000;

/** The key set of the accounts subgraph at `accountsUrl` (any URL on its origin). */
export function jwksUrlFromAccountsUrl(accountsUrl: string): string {
  return new URL(JWKS_PATH, accountsUrl).toString();
}

/** A verified access token: its subject and when it expires. */
export interface VerifiedAccessToken {
  userId: string;
  /** `exp`, in milliseconds since the epoch. */
  expiresAt: number;
}

/**
 * Verifies one access token (the HTTP `Authorization` header's and the WebSocket `connectionParams`' alike).
 * @throws GatewayHttpError 401 UNAUTHENTICATED for a bad token, 503 SUBGRAPH_UNAVAILABLE when the keys cannot be fetched
 */
export type VerifyAccessToken = (token: string, requestId: string) => Promise<VerifiedAccessToken>;

export interface AuthOptions {
  /**
   * Where the token-signing public keys are (a JWKS). A function is asked on every verification,
   * so the URL may follow the supergraph; returning undefined means tokens cannot be checked now.
   */
  jwksUrl: string | (() => string | undefined);
  /** Required `iss`. @default DEFAULT_TOKEN_ISSUER */
  issuer?: string;
  /** Required `aud`. @default DEFAULT_TOKEN_AUDIENCE */
  audience?: string;
  /** @default DEFAULT_CLOCK_TOLERANCE_SECONDS */
  clockToleranceSeconds?: number;
  /** @default DEFAULT_JWKS_TIMEOUT_MS */
  jwksTimeoutMs?: number;
  /** Downloads the key set; the gateway passes its subgraph connection pool, so upstream (mutual) TLS applies. @default global fetch */
  fetch?: FetchImplementation | undefined;
  /**
   * A token verified once is taken as verified for this long (by its exact string, against the
   * same key set URL), and never once its `exp` has passed: repeated requests with one token skip
   * the signature check. 0: verify every time. @default DEFAULT_VERIFIED_TOKEN_TTL_MS
   */
  verifiedTokenTtlMs?: number;
  logger: Logger;
}

/** jose errors that mean "this token is bad" (as opposed to "the keys cannot be fetched"). */
const TOKEN_PROBLEMS = new Set([
  joseErrors.JWTExpired.code,
  joseErrors.JWTClaimValidationFailed.code,
  joseErrors.JWTInvalid.code,
  joseErrors.JWSInvalid.code,
  joseErrors.JWSSignatureVerificationFailed.code,
  joseErrors.JOSEAlgNotAllowed.code,
  joseErrors.JOSENotSupported.code,
  joseErrors.JWKSNoMatchingKey.code,
  joseErrors.JWKSMultipleMatchingKeys.code,
]);

function invalidToken(message: string): GatewayHttpError {
  return new GatewayHttpError(401, GatewayErrorCode.UNAUTHENTICATED, message, {
    'www-authenticate': `Bearer error="invalid_token", error_description="${message.replace(/["\\]/g, "'")}"`,
  });
}

function keysUnavailable(): GatewayHttpError {
  return new GatewayHttpError(503, GatewayErrorCode.SUBGRAPH_UNAVAILABLE, 'Access tokens cannot be verified right now; try again shortly.', {
    'retry-after': '5',
  }, { serviceName: 'accounts' });
}

/**
 * Authentication: `Authorization: Bearer <access token>` is verified against the accounts
 * subgraph's JWKS (EdDSA only, issuer, audience, `typ: at+jwt`, expiry) and its `sub` becomes
 * `context.userId`. No header: anonymous. Any other header, or a token that fails a check:
 * HTTP 401 `UNAUTHENTICATED` with `WWW-Authenticate: Bearer error="invalid_token"`, never anonymous.
 * Keys that cannot be fetched: HTTP 503 `SUBGRAPH_UNAVAILABLE` (the client's token may be fine).
 */
export function useAuth(options: AuthOptions): GatewayPlugin & { readonly verifyToken: VerifyAccessToken } {
  const { logger } = options;
  const issuer = options.issuer ?? DEFAULT_TOKEN_ISSUER;
  const audience = options.audience ?? DEFAULT_TOKEN_AUDIENCE;
  const keySets = new Map<string, JWTVerifyGetKey>();
  const verifiedTokenTtlMs = options.verifiedTokenTtlMs ?? DEFAULT_VERIFIED_TOKEN_TTL_MS;
  /** Tokens verified lately, by key set URL and token: the answer, and until when it may be reused. */
  const verified = new Map<string, { token: VerifiedAccessToken; until: number }>();

  function remember(key: string, token: VerifiedAccessToken): void {
    if (verifiedTokenTtlMs <= 0) return;
    if (verified.size >= VERIFIED_TOKENS_MAX) verified.delete(verified.keys().next().value!);
    verified.set(key, { token, until: Math.min(token.expiresAt, Date.now() + verifiedTokenTtlMs) });
  }

  function jwksUrl(): string | undefined {
    return typeof options.jwksUrl === 'function' ? options.jwksUrl() : options.jwksUrl;
  }

  function keySet(url: string | undefined): JWTVerifyGetKey | undefined {
    if (!url) return undefined;
    let keys = keySets.get(url);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(url), {
        timeoutDuration: options.jwksTimeoutMs ?? DEFAULT_JWKS_TIMEOUT_MS,
        ...(options.fetch ? { [customFetch]: options.fetch } : {}),
      });
      keySets.set(url, keys);
    }
    return keys;
  }

  const verifyToken: VerifyAccessToken = async (token, requestId) => {
    const url = jwksUrl();
    const key = `${url}\n${token}`;
    const known = verified.get(key);
    if (known && Date.now() < known.until) return known.token;
    if (known) verified.delete(key);
    const keys = keySet(url);
    if (!keys) {
      logger.error('no JWKS URL: set JWKS_URL or include an accounts subgraph in the supergraph');
      throw keysUnavailable();
    }
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: [TOKEN_ALGORITHM],
        issuer,
        audience,
        typ: 'at+jwt',
        requiredClaims: ['sub', 'exp'],
        clockTolerance: options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
      });
      const result = { userId: payload.sub as string, expiresAt: (payload.exp as number) * 1000 };
      remember(key, result);
      return result;
    } catch (error) {
      if (error instanceof joseErrors.JOSEError && TOKEN_PROBLEMS.has(error.code)) {
        logger.debug({ reason: error.code, requestId }, 'refused an access token');
        throw invalidToken(error instanceof joseErrors.JWTExpired ? 'The access token has expired.' : 'The access token is invalid.');
      }
      logger.warn({ err: error, requestId }, 'cannot fetch the token-signing keys');
      throw keysUnavailable();
    }
  };

  return {
    name: 'auth',
    verifyToken,
    async onRequest(request) {
      const header = request.headers.authorization;
      if (header === undefined || header === '') return;
      const token = /^Bearer +([\w.~+/-]+=*)$/i.exec(header.trim())?.[1];
      if (!token) throw invalidToken('The Authorization header must be "Bearer <access token>".');
      request.context.userId = (await verifyToken(token, request.context.requestId)).userId;
    },
  };
}
