import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The identity the gateway passes to subgraphs, signed so that a subgraph can tell a request
 * relayed by the gateway from one forged, altered or replayed by anything else that reaches its port.
 *
 * Wire format (version 2): the headers below. The signature is the base64url HMAC-SHA256, with the
 * shared secret, over the lines
 * `v2`, method, path, timestamp, nonce, user, request id, client ip, base64url SHA-256 of the body.
 * A subgraph accepts a signature once (per nonce) and only within {@link DEFAULT_MAX_SKEW_MS} of its clock.
 */
export const IdentityHeader = {
  /** The signed-in user's id; empty when anonymous. */
  user: 'x-mega-user',
  /** The gateway's id for the client request, for logs. */
  requestId: 'x-mega-request-id',
  /** The client's address as the gateway saw it (rate limits, login throttling). */
  clientIp: 'x-mega-client-ip',
  /** Milliseconds since the epoch. */
  timestamp: 'x-mega-timestamp',
  /** Random, one per upstream request. */
  nonce: 'x-mega-nonce',
  signature: 'x-mega-signature',
} as const;

/** How far a signature's timestamp may be from the subgraph's clock. @default 60_000 ms */
export const DEFAULT_MAX_SKEW_MS = 60_000;

export interface Identity {
  /** The signed-in user's id, or null for an anonymous request. */
  userId: string | null;
  requestId: string;
  /** The client's IP address as seen by the gateway; empty when unknown (health checks). */
  clientIp: string;
}

/** What is signed besides the identity: the request itself. */
export interface SignedRequest {
  method: string;
  /** Path and query of the subgraph URL, e.g. `/graphql`. */
  path: string;
  /** The exact body bytes sent; empty for GET and WebSocket upgrades. */
  body: string | Buffer;
}

function bodyHash(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('base64url');
}

function mac(secret: string, request: SignedRequest, timestamp: string, nonce: string, identity: { user: string; requestId: string; clientIp: string }): string {
  const lines = ['v2', request.method.toUpperCase(), request.path, timestamp, nonce, identity.user, identity.requestId, identity.clientIp, bodyHash(request.body)];
  return createHmac('sha256', secret).update(lines.join('\n')).digest('base64url');
}

/** The identity headers of `identity`, unsigned (the gateway sets these first and signs when it sends). */
export function identityHeaders(identity: Identity): Record<string, string> {
  return {
    [IdentityHeader.user]: identity.userId ?? '',
    [IdentityHeader.requestId]: identity.requestId,
    [IdentityHeader.clientIp]: identity.clientIp,
  };
}

/** All headers to add to an upstream request on behalf of `identity`: identity, timestamp, nonce and signature. */
export function signIdentity(secret: string, identity: Identity, request: SignedRequest, now = Date.now()): Record<string, string> {
  const timestamp = String(now);
  const nonce = randomBytes(16).toString('base64url');
  const user = identity.userId ?? '';
  return {
    ...identityHeaders(identity),
    [IdentityHeader.timestamp]: timestamp,
    [IdentityHeader.nonce]: nonce,
    [IdentityHeader.signature]: mac(secret, request, timestamp, nonce, { user, requestId: identity.requestId, clientIp: identity.clientIp }),
  };
}

export type VerifyResult = { ok: true; identity: Identity } | { ok: false; reason: 'missing' | 'stale' | 'forged' | 'replayed' };

/**
 * Remembers the nonces of accepted signatures for the skew window, so each signed request is
 * accepted once. Per process: a replay to another instance is refused only by TLS between the
 * gateway and the subgraphs (see docs/security.md).
 */
export class NonceCache {
  private readonly seen = new Map<string, number>();
  constructor(
    private readonly ttlMs = 2 * DEFAULT_MAX_SKEW_MS,
    /** Bounds memory under a flood; the oldest entries go first. @default 200000 */
    private readonly maxEntries = 200_000,
  ) {}

  /** @returns false when the nonce was already used */
  add(nonce: string, now = Date.now()): boolean {
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, now + this.ttlMs);
    if (this.seen.size > this.maxEntries || this.seen.size % 1024 === 0) this.prune(now);
    return true;
  }

  private prune(now: number): void {
    for (const [nonce, expires] of this.seen) {
      if (expires > now && this.seen.size <= this.maxEntries) break;
      this.seen.delete(nonce);
    }
  }
}

/**
 * Checks the identity headers of an incoming request against the request itself. Several secrets
 * may be given while the shared secret is being rotated: the current one and the previous one.
 * @returns `ok: true` with the identity; otherwise why it was refused: `missing` (no signature),
 * `stale` (timestamp outside the allowed skew), `forged` (signature does not match the request)
 * or `replayed` (this signature was already used)
 */
export function verifyIdentity(
  secret: string | readonly string[],
  get: (name: string) => string | undefined,
  request: SignedRequest,
  { now = Date.now(), maxSkewMs = DEFAULT_MAX_SKEW_MS, nonces }: { now?: number; maxSkewMs?: number; nonces?: NonceCache } = {},
): VerifyResult {
  const signature = get(IdentityHeader.signature);
  const timestamp = get(IdentityHeader.timestamp);
  const nonce = get(IdentityHeader.nonce);
  if (!signature || !timestamp || !nonce) return { ok: false, reason: 'missing' };
  const ts = Number(timestamp);
  if (!Number.isFinite(ts) || Math.abs(now - ts) > maxSkewMs) return { ok: false, reason: 'stale' };
  const identity = { user: get(IdentityHeader.user) ?? '', requestId: get(IdentityHeader.requestId) ?? '', clientIp: get(IdentityHeader.clientIp) ?? '' };
  const given = Buffer.from(signature);
  const matches = (typeof secret === 'string' ? [secret] : secret).some((candidate) => {
    const expected = Buffer.from(mac(candidate, request, timestamp, nonce, identity));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!matches) return { ok: false, reason: 'forged' };
  if (nonces && !nonces.add(nonce, now)) return { ok: false, reason: 'replayed' };
  return { ok: true, identity: { userId: identity.user || null, requestId: identity.requestId, clientIp: identity.clientIp } };
}

/** The operation of a graphql-ws `subscribe` message, as signed by {@link signSubscription}. */
export interface SubscriptionOperation {
  query: string;
  variables?: Record<string, unknown> | null | undefined;
  operationName?: string | null | undefined;
}

/** Where the identity of a graphql-ws `subscribe` travels: `payload.extensions[SUBSCRIPTION_IDENTITY_EXTENSION]`. */
export const SUBSCRIPTION_IDENTITY_EXTENSION = 'identity';

/** What a subscription's signature covers: method `SUBSCRIBE`, path `/graphql`, and the operation as canonical JSON. */
function subscriptionRequest(operation: SubscriptionOperation): SignedRequest {
  const body = JSON.stringify({ query: operation.query, variables: operation.variables ?? {}, operationName: operation.operationName ?? null });
  return { method: 'SUBSCRIBE', path: '/graphql', body };
}

/**
 * Signs a user's subscription for one graphql-ws `subscribe` message over a connection whose
 * upgrade the gateway signed for itself (user empty). Put the result in
 * `payload.extensions.identity`; the subgraph checks it with {@link verifySubscription}.
 * @returns the identity headers (same names and algorithm as HTTP), signed over method `SUBSCRIBE`,
 * path `/graphql` and body `JSON.stringify({ query, variables: variables ?? {}, operationName: operationName ?? null })`
 */
export function signSubscription(secret: string, identity: Identity, operation: SubscriptionOperation, now = Date.now()): Record<string, string> {
  return signIdentity(secret, identity, subscriptionRequest(operation), now);
}

/**
 * Checks the signed identity of a graphql-ws `subscribe` message against the message's own operation.
 * @param signed `payload.extensions.identity` as received (anything: a non-object is `missing`)
 * @returns as {@link verifyIdentity}: the identity, or why it was refused
 */
export function verifySubscription(
  secret: string | readonly string[],
  signed: unknown,
  operation: SubscriptionOperation,
  options: { now?: number; maxSkewMs?: number; nonces?: NonceCache } = {},
): VerifyResult {
  if (typeof signed !== 'object' || signed === null) return { ok: false, reason: 'missing' };
  const headers = signed as Record<string, unknown>;
  const get = (name: string) => (typeof headers[name] === 'string' ? headers[name] : undefined);
  return verifyIdentity(secret, get, subscriptionRequest(operation), options);
}
