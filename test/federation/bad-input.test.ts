import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, startFederation, type Federation } from '@mega/test-utils';

/** Sends a raw request and returns status and parsed body. */
async function raw(url: string, init: RequestInit) {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[]; data?: unknown } };
}

function expectNoInternals(text: string) {
  expect(text).not.toMatch(/stacktrace|\n\s+at |node_modules|ECONNREFUSED/i);
}

describe('bad input through the gateway (production mode)', () => {
  let federation: Federation;
  const json = { 'content-type': 'application/json' };

  beforeAll(async () => {
    federation = await startFederation({ seed: true });
  });
  afterAll(() => federation?.stop());

  it('answers malformed JSON with 400 BAD_REQUEST', async () => {
    const result = await raw(federation.gatewayUrl, { method: 'POST', headers: json, body: '{"query": "{ me { id } }"' });
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expectNoInternals(result.text);
  });

  it('answers a body that is not JSON with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const result = await raw(federation.gatewayUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{ me { id } }' });
    expect(result.status).toBe(415);
    expect(result.body.errors?.[0]?.extensions?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an unknown field with 400 GRAPHQL_VALIDATION_FAILED and suggests nothing private', async () => {
    const result = await postGraphQL(federation.gatewayUrl, { query: '{ products(first: 1) { edges { node { secretField } } } }' });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers a variable of the wrong type with 400 BAD_USER_INPUT', async () => {
    const result = await postGraphQL(federation.gatewayUrl, {
      query: 'query($n: Int) { products(first: $n) { edges { node { id } } } }',
      variables: { n: 'ten' },
    });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['several operations and no operationName', { query: 'query A { __typename } query B { __typename }' }, /several operations/],
    ['an unknown operationName', { query: 'query A { __typename }', operationName: 'B' }, /no operation named "B"/],
    ['a subscription over HTTP', { query: 'subscription { messageAdded(conversationId: "x") { id } }' }, /WebSocket/],
  ])('answers %s with 400 BAD_REQUEST saying what to send', async (_case, body, message) => {
    const result = await raw(federation.gatewayUrl, { method: 'POST', headers: json, body: JSON.stringify(body) });
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(result.body.errors?.[0]?.message).toMatch(message);
    expectNoInternals(result.text);
  });

  it('answers a syntax error with 400 GRAPHQL_PARSE_FAILED', async () => {
    const result = await postGraphQL(federation.gatewayUrl, { query: '{ products(first: 1) { edges ' });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('refuses a page larger than the maximum with BAD_USER_INPUT naming the argument', async () => {
    const result = await postGraphQL(federation.gatewayUrl, { query: '{ products(first: 1000) { edges { node { id } } } }' });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    expect(result.data).toEqual({ products: null });
    expectNoInternals(JSON.stringify(result));
  });

  it('refuses a malformed cursor with BAD_USER_INPUT', async () => {
    const result = await postGraphQL(federation.gatewayUrl, { query: '{ products(first: 2, after: "not-a-cursor") { edges { node { id } } } }' });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('refuses a garbage token with 401 UNAUTHENTICATED instead of treating the caller as anonymous', async () => {
    const result = await postGraphQL(federation.gatewayUrl, { query: '{ me { id } }' }, { authorization: 'Bearer not.a.token' });
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });

  it('refuses an expired token signed with the real key with 401 UNAUTHENTICATED', async () => {
    const key = await federation.accounts.services.signingKeys.current();
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' })
      .setIssuer('mega-app/accounts')
      .setAudience('mega-app')
      .setSubject(crypto.randomUUID())
      .setIssuedAt(past - 900)
      .setExpirationTime(past)
      .sign(key.privateKey);
    const result = await postGraphQL(federation.gatewayUrl, { query: '{ me { id } }' }, { authorization: `Bearer ${expired}` });
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token signed with another key under the real key id with 401 UNAUTHENTICATED', async () => {
    const real = await federation.accounts.services.signingKeys.current();
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA', kid: real.kid, typ: 'at+jwt' })
      .setIssuer('mega-app/accounts')
      .setAudience('mega-app')
      .setSubject(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
    const result = await postGraphQL(federation.gatewayUrl, { query: '{ me { id } }' }, { authorization: `Bearer ${forged}` });
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a malformed id and an oversized message body with a stable code and no internals', async () => {
    const login = await postGraphQL<{ logIn: { accessToken: string } }>(federation.gatewayUrl, {
      query: 'mutation { logIn(email: "alice@demo.mega.app", password: "alice-demo-pass") { accessToken } }',
    });
    const result = await postGraphQL(
      federation.gatewayUrl,
      { query: 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }', variables: { input: { conversationId: 'x', body: 'y'.repeat(100_000) } } },
      { authorization: `Bearer ${login.data!.logIn.accessToken}` },
    );
    expect(['BAD_USER_INPUT', 'NOT_FOUND']).toContain(result.errors?.[0]?.extensions?.code);
    expectNoInternals(JSON.stringify(result));
  });

  it('keeps serving after all of the above', async () => {
    const result = await postGraphQL<{ products: { edges: unknown[] } }>(federation.gatewayUrl, { query: '{ products(first: 3) { edges { node { id } } } }' });
    expect(result.data?.products.edges).toHaveLength(3);
  });
});
