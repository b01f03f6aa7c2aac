import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, postGraphQL, startFederation, type Federation } from '@mega/test-utils';

/**
 * GraphQL hardening at the gateway, in production mode (the harness's gateway: no development
 * errors, no introspection): operation limits (graphql-armor), batching, body size, suggestion
 * and introspection leaks, GET mutations, CSRF and secure headers. Every case asserts the exact
 * status and code, then that the gateway still serves.
 */

interface Raw {
  status: number;
  headers: Headers;
  text: string;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function raw(url: string, init: RequestInit = {}): Promise<Raw> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as Raw['body'] };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  raw(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const PRODUCTS = '{ products(first: 2) { edges { node { id title } } } }';

describe('GraphQL hardening at the gateway (production mode)', () => {
  let federation: Federation;
  let url: string;

  beforeAll(async () => {
    federation = await startFederation({ seed: true });
    url = federation.gatewayUrl;
  });
  afterAll(() => federation?.stop());

  /** The gateway still answers an ordinary query. */
  async function expectStillServing() {
    const result = await postGraphQL<{ products: { edges: unknown[] } }>(url, { query: PRODUCTS });
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data?.products.edges).toHaveLength(2);
  }

  /** One error with this status, code and (when given) armor limit, and no data. */
  function expectRefused(result: Raw, status: number, code: string, limit?: string) {
    expect(result.status, result.text).toBe(status);
    expect(result.body.data).toBeUndefined();
    expect(result.body.errors?.[0]?.extensions?.code, result.text).toBe(code);
    if (limit) expect(result.body.errors?.some((error) => error.extensions?.limit === limit), result.text).toBe(true);
    expect(result.text).not.toMatch(/stacktrace|\n\s+at |node_modules/);
  }

  describe('operation limits', () => {
    it('refuses alias overloading (one field under 16 aliases) with 400 GRAPHQL_VALIDATION_FAILED, limit maxAliases', async () => {
      const aliases = Array.from({ length: 16 }, (_, i) => `p${i}: products(first: 1) { edges { node { id } } }`).join(' ');
      expectRefused(await post(url, { query: `{ ${aliases} }` }), 400, 'GRAPHQL_VALIDATION_FAILED', 'maxAliases');
      await expectStillServing();
    });

    it('serves 15 aliases, the limit', async () => {
      const aliases = Array.from({ length: 15 }, (_, i) => `p${i}: products(first: 1) { edges { node { id } } }`).join(' ');
      const result = await post(url, { query: `{ ${aliases} }` });
      expect(result.status, result.text).toBe(200);
      expect(Object.keys(result.body.data as object)).toHaveLength(15);
    });

    it('refuses directive overloading with 400 GRAPHQL_VALIDATION_FAILED, limit maxDirectives', async () => {
      const fields = Array.from({ length: 11 }, () => 'id @include(if: true)').join(' ');
      expectRefused(await post(url, { query: `{ products(first: 1) { edges { node { ${fields} } } } }` }), 400, 'GRAPHQL_VALIDATION_FAILED', 'maxDirectives');
      await expectStillServing();
    });

    it('refuses a query nested deeper than 12 levels with 400 GRAPHQL_VALIDATION_FAILED, limit maxDepth', async () => {
      const deep = `{ products(first: 1) { edges { node { images { owner { media(first: 1) { edges { node { owner { media(first: 1) { edges { node { owner { id } } } } } } } } } } } } } }`;
      expectRefused(await post(url, { query: deep }), 400, 'GRAPHQL_VALIDATION_FAILED', 'maxDepth');
      await expectStillServing();
    });

    it('refuses depth hidden in a chain of fragments with 400 GRAPHQL_VALIDATION_FAILED, limit maxDepth', async () => {
      const chain = Array.from(
        { length: 8 },
        (_, i) => `fragment F${i} on User { media(first: 1) { edges { node { owner { ...F${i + 1} } } } } }`,
      ).join('\n');
      const query = `query { user(id: "${DEMO_USERS.alice.id}") { ...F0 } }\n${chain}\nfragment F8 on User { id }`;
      expectRefused(await post(url, { query }), 400, 'GRAPHQL_VALIDATION_FAILED', 'maxDepth');
      await expectStillServing();
    });

    it('refuses circular fragments with 400 GRAPHQL_VALIDATION_FAILED instead of looping', async () => {
      const query = `
        query { user(id: "${DEMO_USERS.alice.id}") { ...A } }
        fragment A on User { media(first: 1) { edges { node { owner { ...B } } } } }
        fragment B on User { ...A }
      `;
      const result = await post(url, { query });
      expectRefused(result, 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(result.body.errors?.map((error) => error.message).join(' ')).toMatch(/Cannot spread fragment "A" within itself/);
      const selfSpread = await post(url, { query: `query { user(id: "${DEMO_USERS.alice.id}") { ...S } } fragment S on User { id ...S }` });
      expectRefused(selfSpread, 400, 'GRAPHQL_VALIDATION_FAILED');
      await expectStillServing();
    });

    it('refuses field duplication (2 900 copies of one field) with 400 GRAPHQL_VALIDATION_FAILED within its work budget', async () => {
      const started = Date.now();
      const result = await post(url, { query: `{ products(first: 1) { edges { node { ${'title '.repeat(2900)} } } } }` });
      expectRefused(result, 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(Date.now() - started).toBeLessThan(5_000);
      await expectStillServing();
    });

    it('refuses duplicated fields on a large page by their cost with 400 GRAPHQL_VALIDATION_FAILED, limit maxCost', async () => {
      const result = await post(url, { query: `{ products(first: 100) { edges { node { ${'title '.repeat(100)} } } } }` });
      expectRefused(result, 400, 'GRAPHQL_VALIDATION_FAILED', 'maxCost');
      await expectStillServing();
    });

    it('refuses a document of more than 3000 tokens with 400 GRAPHQL_PARSE_FAILED, limit maxTokens, before parsing it all', async () => {
      const result = await post(url, { query: `{ ${'__typename '.repeat(5000)} }` });
      expectRefused(result, 400, 'GRAPHQL_PARSE_FAILED', 'maxTokens');
      expect(result.body.errors?.[0]?.extensions?.max).toBe(3000);
      await expectStillServing();
    });

    it('refuses an operation over the cost limit with 400 GRAPHQL_VALIDATION_FAILED, limit maxCost', async () => {
      const page = 'media(first: 100) { edges { node { id title url thumbnailUrl owner { id handle displayName } } } }';
      const query = `{ ${Array.from({ length: 4 }, (_, i) => `u${i}: user(id: "${DEMO_USERS.alice.id}") { ${page} }`).join(' ')} }`;
      expectRefused(await post(url, { query }), 400, 'GRAPHQL_VALIDATION_FAILED', 'maxCost');
      await expectStillServing();
    });

    it('counts a page larger than the subgraphs serve as the largest page, so the subgraph names the argument', async () => {
      const result = await post(url, { query: '{ products(first: 1000) { edges { node { id } } } }' });
      expect(result.status).toBe(200);
      expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    });
  });

  describe('request shape', () => {
    it('refuses a batch (a JSON array of operations) with 400 BAD_REQUEST and runs none of it', async () => {
      const email = `batch-${randomUUID()}@example.com`;
      const signUp = {
        query: 'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }',
        variables: { input: { email, password: 'a long enough password', handle: `b${randomUUID().slice(0, 8)}`, displayName: 'Batch' } },
      };
      const result = await post(url, [signUp, { query: PRODUCTS }]);
      expectRefused(result, 400, 'BAD_REQUEST');
      expect(result.body.errors?.[0]?.message).toMatch(/Batched requests/);
      const logIn = await postGraphQL(url, { query: `mutation { logIn(email: "${email}", password: "a long enough password") { accessToken } }` });
      expect(logIn.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      await expectStillServing();
    });

    it('refuses a body over 1 MiB with 413 PAYLOAD_TOO_LARGE, declared or streamed', async () => {
      const big = JSON.stringify({ query: PRODUCTS, variables: { padding: 'x'.repeat(1024 * 1024) } });
      expectRefused(await raw(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big }), 413, 'PAYLOAD_TOO_LARGE');
      const chunks = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 20; i += 1) controller.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024)));
          controller.close();
        },
      });
      const streamed = await raw(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunks, duplex: 'half' } as RequestInit);
      expectRefused(streamed, 413, 'PAYLOAD_TOO_LARGE');
      await expectStillServing();
    });
  });

  describe('what production mode does not reveal', () => {
    it('refuses introspection with 400 GRAPHQL_VALIDATION_FAILED, by __schema and by __type', async () => {
      expectRefused(await post(url, { query: '{ __schema { types { name fields { name } } } }' }), 400, 'GRAPHQL_VALIDATION_FAILED');
      expectRefused(await post(url, { query: '{ __type(name: "User") { fields { name } } }' }), 400, 'GRAPHQL_VALIDATION_FAILED');
      await expectStillServing();
    });

    it('suggests no field, argument, type or enum value in any error message', async () => {
      const attempts = [
        '{ prodcts(first: 1) { edges { node { id } } } }',
        '{ products(frist: 1) { edges { node { id } } } }',
        '{ products(first: 1) { edges { node { titel } } } }',
        'query($input: UpdateMediaAssetInpt!) { __typename }',
        'mutation { updateMediaAsset(id: "x", input: { visibility: PUBLC }) { id } }',
        'mutation { updateMediaAsset(id: "x", input: { titel: "t" }) { id } }',
      ];
      for (const query of attempts) {
        const result = await post(url, { query });
        expectRefused(result, 400, 'GRAPHQL_VALIDATION_FAILED');
        expect(result.text).not.toMatch(/Did you mean/i);
      }
      const variable = await post(url, {
        query: 'mutation($input: UpdateMediaAssetInput!) { updateMediaAsset(id: "x", input: $input) { id } }',
        variables: { input: { visibility: 'PUBLC' } },
      });
      expectRefused(variable, 400, 'BAD_USER_INPUT');
      expect(variable.text).not.toMatch(/Did you mean/i);
      await expectStillServing();
    });

    it('sends no stack trace and masks nothing a client needs on a failed request', async () => {
      const result = await post(url, { query: 'query($n: Int) { products(first: $n) { edges { node { id } } } }', variables: { n: 'ten' } });
      expectRefused(result, 400, 'BAD_USER_INPUT');
      expect(result.body.errors?.[0]?.extensions).not.toHaveProperty('stacktrace');
    });
  });

  describe('cross-site requests', () => {
    it('answers a mutation sent with GET with 405 and Allow: POST, and does not run it', async () => {
      const email = `get-${randomUUID()}@example.com`;
      const mutation = `mutation { signUp(input: { email: "${email}", password: "a long enough password", handle: "g${randomUUID().slice(0, 8)}", displayName: "Get" }) { accessToken } }`;
      const result = await raw(`${url}?query=${encodeURIComponent(mutation)}`, { headers: { 'apollo-require-preflight': 'true' } });
      expectRefused(result, 405, 'BAD_REQUEST');
      expect(result.headers.get('allow')).toBe('POST');
      const logIn = await postGraphQL(url, { query: `mutation { logIn(email: "${email}", password: "a long enough password") { accessToken } }` });
      expect(logIn.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      await expectStillServing();
    });

    it('blocks a GET without a header a form or an <img> cannot send (CSRF) with 400 BAD_REQUEST, and serves it with one', async () => {
      const search = `?query=${encodeURIComponent(PRODUCTS)}`;
      expectRefused(await raw(url + search), 400, 'BAD_REQUEST');
      expectRefused(await raw(url + search, { headers: { 'content-type': 'text/plain' } }), 400, 'BAD_REQUEST');
      const allowed = await raw(url + search, { headers: { 'apollo-require-preflight': 'true' } });
      expect(allowed.status).toBe(200);
      expect((allowed.body.data as { products: { edges: unknown[] } }).products.edges).toHaveLength(2);
    });

    it('refuses a POST a form could send (text/plain, urlencoded, multipart) with 415 UNSUPPORTED_MEDIA_TYPE before reading it', async () => {
      const mutation = JSON.stringify({ query: `mutation { logIn(email: "${DEMO_USERS.alice.email}", password: "${DEMO_USERS.alice.password}") { accessToken } }` });
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        expectRefused(await raw(url, { method: 'POST', headers: { 'content-type': contentType }, body: mutation }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
      await expectStillServing();
    });
  });

  describe('secure headers', () => {
    it('sends nosniff, no-referrer, no framing and same-site resource policy on every response, errors and other routes included', async () => {
      const origin = new URL(url).origin;
      const responses = [
        await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: PRODUCTS }) }),
        await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }),
        await fetch(`${origin}/healthz`),
        await fetch(`${origin}/readyz`),
        await fetch(`${origin}/nope`),
      ];
      for (const response of responses) {
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
        expect(response.headers.get('x-frame-options')).toBe('DENY');
        expect(response.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
        expect(response.headers.get('cross-origin-resource-policy')).toBe('same-site');
      }
    });
  });
});
