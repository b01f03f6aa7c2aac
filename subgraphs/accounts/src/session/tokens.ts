import { SignJWT } from 'jose';
import { SIGNING_ALGORITHM, type SigningKeyStore } from '../store/signing-key.store.js';

/** Issuer (`iss`) of access tokens; the gateway checks it. */
export const TOKEN_ISSUER = 'mega-app/accounts';
/** Audience (`aud`) of access tokens; the gateway checks it. */
export const TOKEN_AUDIENCE = 'mega-app';
/** Lifetime of an access token. @default 15 minutes */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

/** Signs short-lived EdDSA access tokens whose `sub` is the user id. */
export class AccessTokenIssuer {
  constructor(private readonly keys: SigningKeyStore) {}

  async issue(userId: string, now = Date.now()): Promise<{ token: string; expiresAt: Date }> {
    const key = await this.keys.current();
    const issuedAt = Math.floor(now / 1000);
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
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }
}
