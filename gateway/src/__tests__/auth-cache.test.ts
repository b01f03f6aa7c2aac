import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger.js';
import { useAuth } from '../plugins/auth.js';

const JWKS_URL = 'http://accounts.internal/.well-known/jwks.json';

async function keys() {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA', use: 'sig' };
  let served = { keys: [jwk] };
  const fetch = async () => new Response(JSON.stringify(served), { headers: { 'content-type': 'application/json' } });
  const sign = (expiresInSeconds: number, subject = 'alice') =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k1', typ: 'at+jwt' })
      .setIssuer('mega-app/accounts')
      .setAudience('mega-app')
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
      .sign(privateKey);
  return { fetch, sign, withdraw: () => (served = { keys: [] }) };
}

describe('verified access tokens are remembered', () => {
  it('answers a token verified before with the same user, and refuses it once it has expired', async () => {
    const { fetch, sign } = await keys();
    const auth = useAuth({ jwksUrl: JWKS_URL, fetch: fetch as never, clockToleranceSeconds: 0, logger: createLogger('silent') });
    const token = await sign(1);
    const first = await auth.verifyToken(token, 'r1');
    expect(first.userId).toBe('alice');
    expect(await auth.verifyToken(token, 'r2')).toEqual(first);
    expect(await auth.verifyToken(await sign(60, 'bob'), 'r3')).toMatchObject({ userId: 'bob' });
    // The clock moves past its expiry (no waiting): remembered or not, it is refused.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(first.expiresAt + 50);
      await expect(auth.verifyToken(token, 'r4')).rejects.toMatchObject({ status: 401, message: 'The access token has expired.' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('asks the key set again once verifiedTokenTtlMs has passed, and on every request with 0', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { fetch, sign, withdraw } = await keys();
      const failing = async (...args: Parameters<typeof fetch>) => {
        if (withdrawn) throw new TypeError('fetch failed');
        return fetch(...args);
      };
      let withdrawn = false;
      const options = { jwksUrl: JWKS_URL, fetch: failing as never, logger: createLogger('silent') };
      const remembered = useAuth({ ...options, verifiedTokenTtlMs: 20 * 60_000 });
      const everyTime = useAuth({ ...options, verifiedTokenTtlMs: 0 });
      const token = await sign(3600);
      await remembered.verifyToken(token, 'r1');
      await everyTime.verifyToken(token, 'r1');
      // The key set cannot be fetched any more, and jose's copy of it goes stale after 10 minutes.
      withdraw();
      withdrawn = true;
      vi.setSystemTime(Date.now() + 11 * 60_000);
      expect((await remembered.verifyToken(token, 'r2')).userId).toBe('alice');
      await expect(everyTime.verifyToken(token, 'r2')).rejects.toMatchObject({ status: 503 });
      vi.setSystemTime(Date.now() + 10 * 60_000);
      await expect(remembered.verifyToken(token, 'r3')).rejects.toMatchObject({ status: 503 });
    } finally {
      vi.useRealTimers();
    }
  });
});
