import { SignJWT } from 'jose';
import { SIGNING_ALGORITHM, type SigningKeyStore } from '../store/signing-key.store.js';

/** Issuer (`iss`) of access tokens; the gateway checks it. */
export const TOKEN_ISSUER = 'mega-app/accounts';
/** Audience (`aud`) of access tokens; the gateway checks it. */
export const TOKEN_AUDIENCE = 'mega-app';
/** Lifetime of an access token. Access tokens cannot be revoked: this bounds how long one outlives a logout. @default 15 minutes */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/**
 * How long a replaced signing key stays in the JWKS beyond the lifetime of the last token it may
 * have signed: covers an instance that read the key just before the rotation, clock differences
 * between instances and the gateway's clock tolerance (5 s). @default 5 minutes
 */
export const SIGNING_KEY_RETIREMENT_MARGIN_SECONDS = 5 * 60;

/** Signs short-lived EdDSA access tokens whose `sub` is the user id. */
export class AccessTokenIssuer {
  constructor(private readonly keys: SigningKeyStore) {}

  async issue(userId: string, now = new Date()): Promise<{ token: string; kid: string; expiresAt: Date }> {
    const key = await this.keys.current(now);
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = issuedAt + ACCESS_TOKEN_TTL_SECONDS;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'at+jwt' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(userId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(crypto.randomUUID())
      .sign(key.privateKey);
    return { token, kid: key.kid, expiresAt: new Date(expiresAt * 1000) };
  }
}
