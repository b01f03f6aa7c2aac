import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, querySubgraph, signIdentity, startFederation, TEST_GATEWAY_SECRET, type Federation } from '@mega/test-utils';

const SUBGRAPHS = ['accounts', 'comms', 'media', 'commerce'] as const;
const SERVICE_SDL = '{ _service { sdl } }';
const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }';

/** Posts `body` to a subgraph with the given headers; returns status and error code. */
async function post(url: string, body: string, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[]; data?: unknown };
  return { status: response.status, code: json.errors?.[0]?.extensions?.code, message: json.errors?.[0]?.message, data: json.data };
}

describe('gateway-to-subgraph trust: subgraphs answer only requests the gateway signed', () => {
  let federation: Federation;
  const identity = () => ({ userId: randomUUID(), requestId: randomUUID(), clientIp: '127.0.0.1' });

  beforeAll(async () => {
    federation = await startFederation();
  });
  afterAll(() => federation?.stop());

  describe.each(SUBGRAPHS)('%s', (name) => {
    const url = () => federation[name].url;
    const body = JSON.stringify({ query: SERVICE_SDL });
    const sign = (overrides: { secret?: string; now?: number; body?: string; method?: string; path?: string } = {}) =>
      signIdentity(overrides.secret ?? TEST_GATEWAY_SECRET, identity(), {
        method: overrides.method ?? 'POST',
        path: overrides.path ?? '/graphql',
        body: overrides.body ?? body,
      }, overrides.now);

    it('refuses an unsigned _service query with 401 UNAUTHENTICATED', async () => {
      expect(await post(url(), body, {})).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', data: undefined });
    });

    it('refuses an unsigned _entities query with 401 UNAUTHENTICATED', async () => {
      const entities = JSON.stringify({ query: ENTITIES, variables: { r: [{ __typename: 'User', id: randomUUID() }] } });
      expect(await post(url(), entities, {})).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    });

    it('refuses a signature made with another secret (forged)', async () => {
      const result = await post(url(), body, sign({ secret: 'not-the-gateway-secret-but-long-enough-0000' }));
      expect(result).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      expect(result.message).toContain('forged');
    });

    it('refuses a signature older than the allowed clock skew (stale)', async () => {
      const result = await post(url(), body, sign({ now: Date.now() - 2 * 60_000 }));
      expect(result).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      expect(result.message).toContain('stale');
    });

    it('refuses a signed request whose body was changed on the way (forged)', async () => {
      const altered = JSON.stringify({ query: ENTITIES, variables: { r: [] } });
      const result = await post(url(), altered, sign());
      expect(result).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    });

    it('refuses a signed request replayed a second time (replayed)', async () => {
      const headers = sign();
      expect((await post(url(), body, headers)).status).toBe(200);
      const replay = await post(url(), body, headers);
      expect(replay).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      expect(replay.message).toContain('replayed');
    });

    it('refuses identity headers changed after signing (another user id)', async () => {
      const headers = { ...sign(), 'x-mega-user': randomUUID() };
      expect(await post(url(), body, headers)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    });

    it('answers a correctly signed request and keeps serving after the refusals', async () => {
      const result = await querySubgraph<{ _service: { sdl: string } }>(url(), null, SERVICE_SDL);
      expect(result.status).toBe(200);
      expect(result.data?._service.sdl).toContain('@key');
    });
  });

  it('does not let a client pass identity headers through the gateway', async () => {
    const victim = randomUUID();
    const result = await postGraphQL<{ me: { id: string } | null }>(federation.gatewayUrl, { query: '{ me { id } }' }, { 'x-mega-user': victim, 'x-mega-signature': 'x' });
    expect(result.status).toBe(200);
    expect(result.data?.me).toBeNull();
  });
});
