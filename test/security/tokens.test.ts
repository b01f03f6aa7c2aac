import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, startFederation, type Federation } from '@mega/test-utils';

const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');

describe('access tokens the gateway refuses, each with 401 UNAUTHENTICATED', () => {
  let federation: Federation;
  let userId: string;
  let realKey: { kid: string; privateKey: CryptoKey };

  beforeAll(async () => {
    federation = await startFederation();
    const signUp = await postGraphQL<{ signUp: { user: { id: string } } }>(federation.gatewayUrl, {
      query: 'mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }',
      variables: { input: { email: 'tokens@example.com', password: 'a long enough password', handle: 'tokens', displayName: 'Tokens' } },
    });
    userId = signUp.data!.signUp.user.id;
    realKey = await federation.accounts.services.signingKeys.current();
  });
  afterAll(() => federation?.stop());

  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({ iss: 'mega-app/accounts', aud: 'mega-app', sub: userId, iat: now(), exp: now() + 600 });

  async function sign(payload: Record<string, unknown>, header: Record<string, unknown> = {}, key: CryptoKey = realKey.privateKey) {
    return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: realKey.kid, typ: 'at+jwt', ...header }).sign(key);
  }

  const cases: [string, () => Promise<string>][] = [
    ['expired', () => sign({ ...claims(), iat: now() - 3600, exp: now() - 1800 })],
    ['signed by another key under the real key id (forged)', async () => sign(claims(), {}, (await generateKeyPair('EdDSA', { crv: 'Ed25519' })).privateKey)],
    ['unsigned (alg: none)', async () => `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode(claims())}.`],
    ['for another audience', () => sign({ ...claims(), aud: 'someone-else' })],
    ['from another issuer', () => sign({ ...claims(), iss: 'evil' })],
    ['without an expiry', async () => sign({ iss: 'mega-app/accounts', aud: 'mega-app', sub: userId, iat: now() })],
    ['with a tampered payload (another user)', async () => {
      const [header, , signature] = (await sign(claims())).split('.');
      return `${header}.${encode({ ...claims(), sub: crypto.randomUUID() })}.${signature}`;
    }],
    ['that is not a JWT at all', async () => 'definitely-not-a-token'],
  ];

  it.each(cases)('refuses a token %s', async (_name, make) => {
    const result = await postGraphQL(federation.gatewayUrl, { query: '{ me { id } }' }, { authorization: `Bearer ${await make()}` });
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.data).toBeUndefined();
  });

  it('accepts a well-formed token from the real key, and keeps serving after every refusal', async () => {
    const result = await postGraphQL<{ me: { id: string } }>(federation.gatewayUrl, { query: '{ me { id } }' }, { authorization: `Bearer ${await sign(claims())}` });
    expect(result.status).toBe(200);
    expect(result.data?.me.id).toBe(userId);
  });
});
