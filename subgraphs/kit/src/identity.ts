import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The identity the gateway passes to subgraphs, signed so that a subgraph can tell a request
 * relayed by the gateway from one forged by anything else that reaches its port.
 *
 * Wire format (version 1): headers `x-mega-user` (user id, empty when anonymous),
 * `x-mega-request-id`, `x-mega-timestamp` (milliseconds since the epoch) and `x-mega-signature`,
 * the base64url HMAC-SHA256 over `v1\n<timestamp>\n<user>\n<request id>` with the shared secret.
 */
export const IdentityHeader = {
  user: 'x-mega-user',
  requestId: 'x-mega-request-id',
  timestamp: 'x-mega-timestamp',
  signature: 'x-mega-signature',
} as const;

/** How far a signature's timestamp may be from the subgraph's clock. @default 60_000 ms */
export const DEFAULT_MAX_SKEW_MS = 60_000;

export interface Identity {
  /** The signed-in user's id, or null for an anonymous request. */
  userId: string | null;
  requestId: string;
}

function mac(secret: string, timestamp: string, user: string, requestId: string): string {
  return createHmac('sha256', secret).update(`v1\n${timestamp}\n${user}\n${requestId}`).digest('base64url');
}

/** Headers to add to an upstream request on behalf of `identity`. */
export function signIdentity(secret: string, identity: Identity, now = Date.now()): Record<string, string> {
  const timestamp = String(now);
  const user = identity.userId ?? '';
  return {
    [IdentityHeader.user]: user,
    [IdentityHeader.requestId]: identity.requestId,
    [IdentityHeader.timestamp]: timestamp,
    [IdentityHeader.signature]: mac(secret, timestamp, user, identity.requestId),
  };
}

export type VerifyResult = { ok: true; identity: Identity } | { ok: false; reason: 'missing' | 'stale' | 'forged' };

/**
 * Checks the identity headers of an incoming request.
 * @returns `ok: true` with the identity; otherwise why it was refused: `missing` (no signature),
 * `stale` (timestamp outside the allowed skew) or `forged` (signature does not match).
 */
export function verifyIdentity(
  secret: string,
  get: (name: string) => string | undefined,
  { now = Date.now(), maxSkewMs = DEFAULT_MAX_SKEW_MS } = {},
): VerifyResult {
  const signature = get(IdentityHeader.signature);
  const timestamp = get(IdentityHeader.timestamp);
  if (!signature || !timestamp) return { ok: false, reason: 'missing' };
  const ts = Number(timestamp);
  if (!Number.isFinite(ts) || Math.abs(now - ts) > maxSkewMs) return { ok: false, reason: 'stale' };
  const user = get(IdentityHeader.user) ?? '';
  const requestId = get(IdentityHeader.requestId) ?? '';
  const expected = Buffer.from(mac(secret, timestamp, user, requestId));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'forged' };
  return { ok: true, identity: { userId: user || null, requestId } };
}
