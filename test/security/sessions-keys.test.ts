import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { postGraphQL, startFederation, type Federation } from '@mega/test-utils';
import { ACCESS_TOKEN_TTL_SECONDS, JWKS_PATH, SIGNING_KEY_RETIREMENT_MARGIN_SECONDS } from '@mega/accounts';

/** jose's createRemoteJWKSet fetches the key set again for an unknown kid at most this often. */
const JOSE_JWKS_COOLDOWN_MS = 30_000;

describe('signing-key rotation: the running gateway accepts tokens of the new key and of the previous one until they expire', () => {
  let federation: Federation;

  beforeAll(async () => {
    federation = await startFederation();
  });
  afterAll(() => federation?.stop());
  afterEach(() => {
    vi.useRealTimers();
  });

  const me = (accessToken: string) => postGraphQL<{ me: { id: string } | null }>(federation.gatewayUrl, { query: '{ me { id } }' }, { authorization: `Bearer ${accessToken}` });
  const logIn = async () => {
    const result = await postGraphQL<{ logIn: { accessToken: string } }>(federation.gatewayUrl, {
      query: 'mutation { logIn(email: "kai@example.com", password: "correct horse") { accessToken } }',
    });
    expect(result.errors).toBeUndefined();
    return result.data!.logIn.accessToken;
  };
  const publishedKids = async () => {
    const response = await fetch(new URL(JWKS_PATH, federation.accounts.url));
    return ((await response.json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);
  };

  it('rotates without a gateway restart', async () => {
    const signUp = await postGraphQL<{ signUp: { accessToken: string; user: { id: string } } }>(federation.gatewayUrl, {
      query: 'mutation { signUp(input: { email: "kai@example.com", password: "correct horse", handle: "kai", displayName: "Kai" }) { accessToken user { id } } }',
    });
    const old = signUp.data!.signUp.accessToken;
    const userId = signUp.data!.signUp.user.id;
    const oldKid = decodeProtectedHeader(old).kid!;
    expect((await me(old)).data?.me?.id).toBe(userId); // the gateway has now fetched and cached the JWKS

    // 1. The new key was published before it signed: the gateway's cached key set already knows it.
    const rotatedAt = Date.now();
    const second = await federation.accounts.services.signingKeys.rotateSigningKey();
    const signedBySecond = await logIn();
    expect(decodeProtectedHeader(signedBySecond).kid).toBe(second.kid);
    expect(second.kid).not.toBe(oldKid);
    const accepted = await me(signedBySecond);
    expect(accepted.status).toBe(200);
    expect(accepted.data?.me?.id).toBe(userId);
    expect((await me(old)).data?.me?.id).toBe(userId);

    // 2. A key the gateway has never seen (created after its last fetch): it fetches the key set again.
    const third = await federation.accounts.services.signingKeys.rotateSigningKey();
    expect((await publishedKids()).slice(1)).toEqual(expect.arrayContaining([third.kid, second.kid, oldKid]));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + JOSE_JWKS_COOLDOWN_MS + 1_000);
    const signedByThird = await logIn();
    expect(decodeProtectedHeader(signedByThird).kid).toBe(third.kid);
    expect((await me(signedByThird)).data?.me?.id).toBe(userId);
    expect((await me(old)).data?.me?.id).toBe(userId);

    // 3. The token of the first key works until it expires, and its key is published until then.
    const expiresAt = decodeJwt(old).exp! * 1000;
    vi.setSystemTime(expiresAt - 1_000);
    expect((await me(old)).data?.me?.id).toBe(userId);
    expect(await publishedKids()).toContain(oldKid);
    vi.setSystemTime(expiresAt + 10_000);
    const expired = await me(old);
    expect(expired.status).toBe(401);
    expect(expired.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(expired.errors?.[0]?.message).toBe('The access token has expired.');
    expect((await me(signedByThird)).data?.me?.id).toBe(userId);

    // 4. Once every token it signed has expired, the first key leaves the key set.
    vi.setSystemTime(rotatedAt + (ACCESS_TOKEN_TTL_SECONDS + SIGNING_KEY_RETIREMENT_MARGIN_SECONDS) * 1000 + 1_000);
    const published = await publishedKids();
    expect(published).not.toContain(oldKid);
    expect(published).toContain(third.kid);
    const latest = await me(await logIn());
    expect(latest.status).toBe(200);
    expect(latest.data?.me?.id).toBe(userId);
  });
});
