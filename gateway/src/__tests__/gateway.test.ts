import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, SignJWT } from 'jose';
import { startAccounts } from '@mega/accounts';
import type { ReadinessReport } from '@mega/subgraph-kit/readiness';
import { eventually, freePort, postGraphQL, TEST_GATEWAY_SECRET } from '@mega/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../app.js';
import { memoryLogger, temporaryFolder, testSubgraphs, writeSupergraph } from './support/harness.js';
import { startProbeSubgraph, type ProbeSubgraph } from './support/probe-subgraph.js';

type Accounts = Awaited<ReturnType<typeof startAccounts>>;

describe('gateway in front of accounts and a probe subgraph', () => {
  let accounts: Accounts;
  let probe: ProbeSubgraph;
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let gateway: Gateway;
  let url: string;
  let origin: string;
  let supergraphFile: string;
  const log = memoryLogger();
  const started: Gateway[] = [];

  /** A second gateway over the same subgraphs, with other options. */
  async function startAnotherGateway(options: Partial<Parameters<typeof createGateway>[0]> = {}) {
    const another = createGateway({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, supergraph: supergraphFile, logger: log.logger, ...options });
    started.push(another);
    return { gateway: another, ...(await another.start()) };
  }

  beforeAll(async () => {
    [accounts, probe, folder] = await Promise.all([
      startAccounts({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, database: {} }),
      startProbeSubgraph(),
      temporaryFolder(),
    ]);
    supergraphFile = folder.file('supergraph.graphql');
    await writeSupergraph(supergraphFile, await testSubgraphs({ accounts: accounts.url, probe: probe.url }));
    gateway = createGateway({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, supergraph: supergraphFile, logger: log.logger });
    started.push(gateway);
    ({ url } = await gateway.start());
    origin = new URL(url).origin;
  });
  afterAll(async () => {
    await Promise.all(started.map((each) => each.stop()));
    await Promise.all([accounts?.stop(), probe?.stop(), folder?.remove()]);
  });

  const signUp = `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id handle } } }`;
  async function newUser(handle: string): Promise<{ token: string; id: string }> {
    const result = await postGraphQL<{ signUp: { accessToken: string; user: { id: string } } }>(url, {
      query: signUp,
      variables: { input: { email: `${handle}@example.com`, password: 'correct horse battery', handle, displayName: handle } },
    });
    expect(result.errors).toBeUndefined();
    return { token: result.data!.signUp.accessToken, id: result.data!.signUp.user.id };
  }

  function expectNoInternals(result: { errors?: { extensions?: Record<string, unknown>; message: string }[] }) {
    for (const error of result.errors ?? []) {
      expect(error.extensions).not.toHaveProperty('stacktrace');
      expect(error.message).not.toMatch(/ECONNREFUSED|at .*\.ts:\d+/);
    }
  }

  describe('authentication', () => {
    it('signs a user up through the gateway and answers `me` for their access token', async () => {
      const { token, id } = await newUser('gw_alice');
      const me = await postGraphQL<{ me: { id: string; handle: string } }>(url, { query: '{ me { id handle } }' }, { authorization: `Bearer ${token}` });
      expect(me.status).toBe(200);
      expect(me.data?.me).toEqual({ id, handle: 'gw_alice' });
    });

    it('treats a request without a token as anonymous', async () => {
      const me = await postGraphQL<{ me: unknown }>(url, { query: '{ me { id } probe { userId } }' });
      expect(me.status).toBe(200);
      expect(me.data).toEqual({ me: null, probe: { userId: null } });
    });

    describe('refuses a bad token with 401 UNAUTHENTICATED and a WWW-Authenticate challenge, never as anonymous', () => {
      const claims = { iss: 'mega-app/accounts', aud: 'mega-app' };
      const cases: [string, () => Promise<string>][] = [
        ['garbage', async () => 'Bearer not.a.jwt'],
        ['another scheme', async () => 'Basic dXNlcjpwYXNz'],
        [
          'expired',
          async () => {
            const key = await accounts.services.signingKeys.current();
            const past = Math.floor(Date.now() / 1000) - 3600;
            const token = await new SignJWT(claims)
              .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' })
              .setSubject(crypto.randomUUID())
              .setIssuedAt(past - 900)
              .setExpirationTime(past)
              .sign(key.privateKey);
            return `Bearer ${token}`;
          },
        ],
        [
          'forged (signed by another key under the real key id)',
          async () => {
            const { kid } = await accounts.services.signingKeys.current();
            const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
            const token = await new SignJWT(claims)
              .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
              .setSubject(crypto.randomUUID())
              .setExpirationTime('5m')
              .sign(privateKey);
            return `Bearer ${token}`;
          },
        ],
        [
          'alg none',
          async () => {
            const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
            const exp = Math.floor(Date.now() / 1000) + 300;
            return `Bearer ${encode({ alg: 'none', typ: 'at+jwt' })}.${encode({ ...claims, sub: crypto.randomUUID(), exp })}.`;
          },
        ],
        [
          'for another audience',
          async () => {
            const key = await accounts.services.signingKeys.current();
            const token = await new SignJWT({ ...claims, aud: 'someone-else' })
              .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' })
              .setSubject(crypto.randomUUID())
              .setExpirationTime('5m')
              .sign(key.privateKey);
            return `Bearer ${token}`;
          },
        ],
      ];

      it.each(cases)('%s', async (_name, authorization) => {
        const result = await postGraphQL(url, { query: '{ me { id } }' }, { authorization: await authorization() });
        expect(result.status).toBe(401);
        expect(result.data).toBeUndefined();
        expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        expect(result.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
        expect(result.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      });
    });
  });

  describe('upstream requests', () => {
    it('signs every subgraph request with the user id, the client address and the request id it returns as x-request-id', async () => {
      const { token, id } = await newUser('gw_bob');
      const result = await postGraphQL<{ probe: { userId: string; requestId: string } }>(
        url,
        { query: '{ probe { userId requestId } }' },
        { authorization: `Bearer ${token}` },
      );
      expect(result.data?.probe.userId).toBe(id);
      expect(result.data?.probe.requestId).toBe(result.headers.get('x-request-id'));
      expect(probe.identities.at(-1)).toEqual({ userId: id, requestId: result.headers.get('x-request-id'), clientIp: '127.0.0.1' });
    });

    it('signs the address the trusted proxy saw as the client address, and ignores X-Forwarded-For without trustProxy', async () => {
      const forwarded = { 'x-forwarded-for': '198.51.100.1, 203.0.113.9' };
      await postGraphQL(url, { query: '{ probe { userId } }' }, forwarded);
      expect(probe.identities.at(-1)?.clientIp).toBe('127.0.0.1');
      const behindProxy = await startAnotherGateway({ trustProxy: 1 });
      await postGraphQL(behindProxy.url, { query: '{ probe { userId } }' }, forwarded);
      expect(probe.identities.at(-1)?.clientIp).toBe('203.0.113.9');
    });

    it('joins an entity across subgraphs', async () => {
      const { token, id } = await newUser('gw_carol');
      const result = await postGraphQL<{ me: { handle: string; probeNote: string } }>(
        url,
        { query: '{ me { handle probeNote } }' },
        { authorization: `Bearer ${token}` },
      );
      expect(result.data?.me).toEqual({ handle: 'gw_carol', probeNote: `note for ${id}` });
    });
  });

  describe('configuration', () => {
    it('calls subgraphs at the URLs given in subgraphUrls, and finds the token keys there, over the supergraph\'s', async () => {
      const elsewhere = folder.file('elsewhere.graphql');
      await writeSupergraph(elsewhere, await testSubgraphs({ accounts: 'http://127.0.0.1:9/graphql', probe: 'http://127.0.0.1:9/graphql' }));
      const { url: overridden } = await startAnotherGateway({ supergraph: elsewhere, subgraphUrls: { accounts: accounts.url, probe: probe.url } });
      const { token, id } = await newUser('gw_erin');
      const result = await postGraphQL(overridden, { query: '{ me { id } probe { userId } }' }, { authorization: `Bearer ${token}` });
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ me: { id }, probe: { userId: id } });
    });

    it('answers 503 SUBGRAPH_UNAVAILABLE, not 401, when the token keys cannot be fetched', async () => {
      const { url: keyless } = await startAnotherGateway({ jwksUrl: 'http://127.0.0.1:9/.well-known/jwks.json' });
      const { token } = await newUser('gw_frank');
      const result = await postGraphQL(keyless, { query: '{ me { id } }' }, { authorization: `Bearer ${token}` });
      expect(result.status).toBe(503);
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'accounts', requestId: expect.any(String) });
    });
  });

  describe('bad requests get a 4xx with a code and no stack trace', () => {
    it('answers malformed JSON with 400 BAD_REQUEST', async () => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ me { id }' });
      const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
      expect(response.status).toBe(400);
      expect(body.errors[0]?.extensions.code).toBe('BAD_REQUEST');
      expectNoInternals(body as never);
    });

    it('answers a body that is not application/json with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: '{"query":"{ me { id } }"}' });
        const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
        expect(response.status).toBe(415);
        expect(body.errors[0]?.extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
    });

    it('answers an unknown field with 400 GRAPHQL_VALIDATION_FAILED', async () => {
      const result = await postGraphQL(url, { query: '{ me { id nope } }' });
      expect(result.status).toBe(400);
      expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expectNoInternals(result);
    });

    it('answers a variable of the wrong type with 400 BAD_USER_INPUT', async () => {
      const result = await postGraphQL(url, { query: 'query($id: ID!) { user(id: $id) { id } }', variables: { id: { not: 'an id' } } });
      expect(result.status).toBe(400);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expectNoInternals(result);
    });

    it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
      const result = await postGraphQL(url, { query: `{ me { id } } # ${'x'.repeat(1024 * 1024)}` });
      expect(result.status).toBe(413);
      expect(result.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('blocks a GET that could be a cross-site request, and serves one with a preflight header', async () => {
      const search = `?query=${encodeURIComponent('{ probe { userId } }')}`;
      const blocked = await fetch(url + search);
      expect(blocked.status).toBe(400);
      expect(((await blocked.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('BAD_REQUEST');
      const allowed = await fetch(url + search, { headers: { 'apollo-require-preflight': 'true' } });
      expect(allowed.status).toBe(200);
      expect(await allowed.json()).toEqual({ data: { probe: { userId: null } } });
    });

    it('answers an unknown path with 404 and serves /healthz and /readyz', async () => {
      expect((await fetch(`${origin}/nope`)).status).toBe(404);
      expect(await (await fetch(`${origin}/healthz`)).json()).toMatchObject({ status: 'ok' });
      expect((await fetch(`${origin}/readyz`)).status).toBe(200);
    });
  });

  describe('readiness', () => {
    async function probe(at: string): Promise<{ healthz: number; readyz: number; body: ReadinessReport }> {
      const [health, ready] = await Promise.all([fetch(`${at}/healthz`), fetch(`${at}/readyz`)]);
      return { healthz: health.status, readyz: ready.status, body: (await ready.json()) as ReadinessReport };
    }

    it('is ready with the supergraph loaded', async () => {
      expect(await probe(origin)).toEqual({ healthz: 200, readyz: 200, body: { status: 'ready', service: 'gateway', checks: { supergraph: { status: 'ok' } } } });
    });

    it('is not ready while the supergraph is not loaded, and ready once it is', async () => {
      // The supergraph comes from a URL that answers only when the test lets it.
      const sdl = await readFile(supergraphFile, 'utf8');
      const held: ServerResponse[] = [];
      const supergraphServer = createServer((_req, res) => held.push(res));
      supergraphServer.listen(0, '127.0.0.1');
      await once(supergraphServer, 'listening');
      const port = await freePort();
      const loading = startAnotherGateway({ port, supergraph: `http://127.0.0.1:${(supergraphServer.address() as AddressInfo).port}/supergraph.graphql` });
      try {
        await eventually(() => expect(held).toHaveLength(1));
        expect(await probe(`http://127.0.0.1:${port}`)).toEqual({
          healthz: 200,
          readyz: 503,
          body: { status: 'not ready', service: 'gateway', checks: { supergraph: { status: 'failing', reason: 'not loaded' } } },
        });
        // Meanwhile GraphQL requests are told to come back rather than held.
        const early = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
        expect({ status: early.status, retryAfter: early.headers.get('retry-after'), code: ((await early.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code }).toEqual({
          status: 503,
          retryAfter: '1',
          code: 'UNAVAILABLE',
        });
        held[0]!.end(sdl);
        await loading;
        expect(await probe(`http://127.0.0.1:${port}`)).toMatchObject({ healthz: 200, readyz: 200, body: { status: 'ready' } });
      } finally {
        for (const res of held) if (!res.writableEnded) res.end(sdl);
        await loading.catch(() => undefined);
        supergraphServer.close();
      }
    });

    it('is not ready with the redis check failing while the configured Redis does not answer', async () => {
      const closedPort = await freePort();
      // The rate limits would refuse to start without Redis; the readiness check is what is tested here.
      const another = await startAnotherGateway({ redisUrl: `redis://127.0.0.1:${closedPort}`, rateLimits: false });
      const { healthz, readyz, body } = await probe(new URL(another.url).origin);
      expect({ healthz, readyz, status: body.status, supergraph: body.checks.supergraph }).toEqual({ healthz: 200, readyz: 503, status: 'not ready', supergraph: { status: 'ok' } });
      expect(body.checks.redis).toEqual({ status: 'failing', reason: expect.any(String) });
    });

    it('is ready with the redis check ok when the configured Redis answers', async () => {
      const another = await startAnotherGateway({ redisUrl: 'redis://127.0.0.1:6379' });
      await eventually(async () =>
        expect(await probe(new URL(another.url).origin)).toEqual({
          healthz: 200,
          readyz: 200,
          body: { status: 'ready', service: 'gateway', checks: { supergraph: { status: 'ok' }, redis: { status: 'ok' } } },
        }),
      );
    });
  });

  describe('subgraph failures', () => {
    it('masks an unexpected subgraph error, keeping its service name and a request id', async () => {
      const result = await postGraphQL<{ boom: null; me: null }>(url, { query: '{ boom me { id } }' });
      expect(result.data).toEqual({ boom: null, me: null });
      expect(result.errors).toHaveLength(1);
      expect(result.errors?.[0]).toMatchObject({
        message: 'Internal server error.',
        path: ['boom'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'probe', requestId: result.headers.get('x-request-id') },
      });
      expectNoInternals(result);
    });

    it('passes a subgraph\'s coded error on with its service name, without the subgraph\'s stack trace', async () => {
      const result = await postGraphQL(url, { query: '{ denied }' });
      expect(result.errors).toEqual([
        { message: 'You may not see this.', path: ['denied'], extensions: { code: 'FORBIDDEN', serviceName: 'probe', requestId: expect.any(String) } },
      ]);
    });

    it('returns the other subgraphs\' fields plus SUBGRAPH_UNAVAILABLE while a subgraph is down, and recovers when it is back', async () => {
      const { token, id } = await newUser('gw_dave');
      const query = { query: '{ me { id } probe { userId } }' };
      const auth = { authorization: `Bearer ${token}` };
      const port = probe.port;
      await probe.stop();

      const down = await postGraphQL<{ me: { id: string }; probe: null }>(url, query, auth);
      expect(down.status).toBe(200);
      expect(down.data).toEqual({ me: { id }, probe: null });
      expect(down.errors).toHaveLength(1);
      expect(down.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'probe', requestId: expect.any(String) });
      expectNoInternals(down);

      probe = await startProbeSubgraph({ port });
      const back = await postGraphQL<{ me: { id: string }; probe: { userId: string } }>(url, query, auth);
      expect(back.errors).toBeUndefined();
      expect(back.data).toEqual({ me: { id }, probe: { userId: id } });
    });

    it('gives up on a subgraph after the timeout with SUBGRAPH_UNAVAILABLE', async () => {
      const { url: impatient } = await startAnotherGateway({ subgraphTimeoutMs: 200 });
      const result = await postGraphQL<{ slow: null; me: null }>(impatient, { query: '{ slow(id: "timeout") me { id } }' });
      probe.release('timeout');
      expect(result.data).toEqual({ slow: null, me: null });
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'probe', requestId: expect.any(String) });
    });
  });

  it('finishes requests in flight when stopped, then refuses connections', async () => {
    const { gateway: stopping, url: stoppingUrl } = await startAnotherGateway();
    const inFlight = postGraphQL<{ slow: string }>(stoppingUrl, { query: '{ slow(id: "drain") }' });
    await expect.poll(() => probe.isWaiting('drain')).toBe(true);
    const stopped = stopping.stop();
    probe.release('drain');
    const result = await inFlight;
    await stopped;
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ slow: 'drain' });
    await expect(fetch(stoppingUrl, { method: 'POST' })).rejects.toThrow();
  });
});
