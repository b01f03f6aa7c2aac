import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createGateway, createLogger } from '@mega/gateway';
import { postGraphQL, startFederation, TEST_GATEWAY_SECRET, type Federation } from '@mega/test-utils';

/**
 * GraphQL over HTTP (https://graphql.github.io/graphql-over-http/) at the gateway: media types
 * and status codes, GET for queries only, other methods, and CORS with an allowlist.
 */

const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const APP_ORIGIN = 'https://app.example.com';
const PRODUCTS = '{ products(first: 1) { edges { node { id } } } }';

interface Raw {
  status: number;
  headers: Headers;
  text: string;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } | undefined;
}

async function raw(url: string, init: RequestInit = {}): Promise<Raw> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? (JSON.parse(text) as Raw['body']) : undefined };
}

describe('GraphQL over HTTP and CORS at the gateway', () => {
  let federation: Federation;
  let url: string;

  beforeAll(async () => {
    federation = await startFederation({ gateway: { cors: { origins: [APP_ORIGIN] } } });
    url = federation.gatewayUrl;
  });
  afterAll(() => federation?.stop());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    raw(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  async function expectStillServing() {
    const result = await postGraphQL(url, { query: PRODUCTS });
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
  }

  /** A user that does not exist yet, and a GET/POST-able mutation that would create it. */
  function newSignUp() {
    const email = `http-${randomUUID()}@example.com`;
    const query = `mutation { signUp(input: { email: "${email}", password: "a long enough password", handle: "h${randomUUID().slice(0, 8)}", displayName: "Http" }) { accessToken } }`;
    const exists = async () => {
      const logIn = await postGraphQL(url, { query: `mutation { logIn(email: "${email}", password: "a long enough password") { accessToken } }` });
      return logIn.errors === undefined;
    };
    return { query, exists };
  }

  describe('media types and status codes', () => {
    it('answers Accept: application/graphql-response+json in that media type, 200 for a result', async () => {
      const result = await post({ query: PRODUCTS }, { accept: GRAPHQL_RESPONSE });
      expect(result.status).toBe(200);
      expect(result.headers.get('content-type')).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
      expect(result.body?.errors).toBeUndefined();
    });

    it('answers request errors 4xx in application/graphql-response+json: parse, validation, variables', async () => {
      const cases: [unknown, number, string][] = [
        [{ query: '{ products(first: 1) { edges ' }, 400, 'GRAPHQL_PARSE_FAILED'],
        [{ query: '{ nope }' }, 400, 'GRAPHQL_VALIDATION_FAILED'],
        [{ query: 'query($n: Int) { products(first: $n) { edges { node { id } } } }', variables: { n: 'ten' } }, 400, 'BAD_USER_INPUT'],
        [{ variables: {} }, 400, 'BAD_REQUEST'],
        [[{ query: PRODUCTS }], 400, 'BAD_REQUEST'],
      ];
      for (const [body, status, code] of cases) {
        const result = await post(body, { accept: GRAPHQL_RESPONSE });
        expect(result.status, result.text).toBe(status);
        expect(result.headers.get('content-type')).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
        expect(result.body?.errors?.[0]?.extensions?.code).toBe(code);
        expect(result.body).not.toHaveProperty('data');
      }
      await expectStillServing();
    });

    it('answers edge errors (bad token, wrong content type, body too large) in the media type asked for', async () => {
      const badToken = await post({ query: PRODUCTS }, { accept: GRAPHQL_RESPONSE, authorization: 'Bearer not.a.token' });
      expect(badToken.status).toBe(401);
      expect(badToken.headers.get('content-type')).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
      expect(badToken.body?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const form = await raw(url, { method: 'POST', headers: { 'content-type': 'text/plain', accept: GRAPHQL_RESPONSE }, body: '{}' });
      expect(form.status).toBe(415);
      expect(form.headers.get('content-type')).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
      const legacy = await raw(url, { method: 'POST', headers: { 'content-type': 'text/plain', accept: 'application/json' }, body: '{}' });
      expect(legacy.headers.get('content-type')).toBe('application/json; charset=utf-8');
    });

    it('prefers application/graphql-response+json when the client ranks it first, as the spec recommends clients do', async () => {
      const result = await post({ query: PRODUCTS }, { accept: `${GRAPHQL_RESPONSE}, application/json;q=0.9` });
      expect(result.headers.get('content-type')).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
    });

    it('keeps the legacy application/json behaviour for Accept: application/json, */* and no Accept', async () => {
      for (const accept of ['application/json', '*/*', undefined]) {
        const result = await post({ query: '{ nope }' }, accept ? { accept } : {});
        expect(result.status).toBe(400);
        expect(result.headers.get('content-type')).toBe('application/json; charset=utf-8');
        expect(result.body?.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        const ok = await post({ query: PRODUCTS }, accept ? { accept } : {});
        expect(ok.status).toBe(200);
        expect(ok.headers.get('content-type')).toBe('application/json; charset=utf-8');
      }
    });

    it('answers an Accept that allows neither JSON type with 406 NOT_ACCEPTABLE, before running the operation', async () => {
      const { query, exists } = newSignUp();
      for (const accept of ['text/html', 'application/xml, text/*;q=0.5', `${GRAPHQL_RESPONSE};q=0, application/json;q=0`]) {
        const result = await post({ query }, { accept });
        expect(result.status, accept).toBe(406);
        expect(result.body?.errors?.[0]?.extensions?.code).toBe('NOT_ACCEPTABLE');
      }
      expect(await exists()).toBe(false);
      await expectStillServing();
    });
  });

  describe('methods', () => {
    it('serves a query with GET (with a CSRF-safe header)', async () => {
      const result = await raw(`${url}?query=${encodeURIComponent(PRODUCTS)}`, { headers: { 'apollo-require-preflight': 'true', accept: GRAPHQL_RESPONSE } });
      expect(result.status).toBe(200);
      expect(result.headers.get('content-type')).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
      expect(result.body?.data).toBeTruthy();
    });

    it('refuses a mutation with GET with 405, Allow: POST, and does not run it', async () => {
      const { query, exists } = newSignUp();
      const result = await raw(`${url}?query=${encodeURIComponent(query)}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(result.status).toBe(405);
      expect(result.headers.get('allow')).toBe('POST');
      expect(result.body?.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
      expect(await exists()).toBe(false);
      await expectStillServing();
    });

    it('answers PUT, DELETE and PATCH with 405 BAD_REQUEST and Allow: GET, POST', async () => {
      for (const method of ['PUT', 'DELETE', 'PATCH']) {
        const result = await raw(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: PRODUCTS }) });
        expect(result.status, method).toBe(405);
        expect(result.headers.get('allow')).toBe('GET, POST');
        expect(result.body?.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
      }
      await expectStillServing();
    });
  });

  describe('CORS', () => {
    it('lets an allowed origin read responses: its origin echoed, Vary: Origin, no credentials, x-request-id exposed', async () => {
      const result = await post({ query: PRODUCTS }, { origin: APP_ORIGIN });
      expect(result.status).toBe(200);
      expect(result.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      expect(result.headers.get('vary')).toMatch(/Origin/);
      expect(result.headers.get('access-control-allow-credentials')).toBeNull();
      expect(result.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
    });

    it('sends no CORS headers to another origin (the browser then withholds the response), and says Vary: Origin', async () => {
      for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'null']) {
        const result = await post({ query: PRODUCTS }, { origin });
        expect(result.headers.get('access-control-allow-origin'), origin).toBeNull();
        expect(result.headers.get('vary')).toMatch(/Origin/);
      }
      await expectStillServing();
    });

    it('answers an allowed preflight with 204, the methods and the headers a client sends', async () => {
      const result = await raw(url, {
        method: 'OPTIONS',
        headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
      expect(result.status).toBe(204);
      expect(result.text).toBe('');
      expect(result.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      expect(result.headers.get('access-control-allow-methods')).toBe('GET, POST');
      const allowed = result.headers.get('access-control-allow-headers')!.split(',').map((header) => header.trim());
      expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'apollo-require-preflight', 'x-request-id']));
      expect(Number(result.headers.get('access-control-max-age'))).toBeGreaterThan(0);
      expect(result.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('answers a preflight from another origin with 204 and no CORS headers, so the browser sends nothing', async () => {
      const result = await raw(url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(result.status).toBe(204);
      expect(result.headers.get('access-control-allow-origin')).toBeNull();
      expect(result.headers.get('access-control-allow-methods')).toBeNull();
      expect(result.headers.get('access-control-allow-headers')).toBeNull();
      await expectStillServing();
    });

    it('allows no origin at all when none is configured (production default)', async () => {
      const bare = createGateway({
        port: 0,
        gatewaySecret: TEST_GATEWAY_SECRET,
        subgraphUrls: { accounts: federation.accounts.url, comms: federation.comms.url, media: federation.media.url, commerce: federation.commerce.url },
        logger: createLogger('warn'),
      });
      const { url: bareUrl } = await bare.start();
      onTestFinished(() => bare.stop());
      const result = await raw(bareUrl, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
      });
      expect(result.status).toBe(204);
      expect(result.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
