import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, createLogger, type GatewayOptions } from '@mega/gateway';
import { DEMO_USERS, postGraphQL, startFederation, TEST_GATEWAY_SECRET, type Federation, type GraphQLResponse } from '@mega/test-utils';

/**
 * Rate limits at the gateway: per client address (all requests, and anonymous ones), per user,
 * `Retry-After`, `X-Forwarded-For` only behind trusted proxies, and limits shared by two gateway
 * instances through Redis. Gateways here are extra instances over one set of subgraphs, each with
 * small limits; every test uses its own client addresses (through a trusted X-Forwarded-For) or
 * its own key prefix, so none depends on another's counters.
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PRODUCTS = '{ products(first: 1) { edges { node { id } } } }';
const minute = (points: number) => ({ points, durationSeconds: 60 });

let addressCounter = 0;
/** A client address no other test uses. */
function freshAddress(): string {
  addressCounter += 1;
  return `203.0.113.${addressCounter}`;
}

function expectRateLimited(result: GraphQLResponse) {
  expect(result.status).toBe(429);
  expect(result.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  const retryAfter = Number(result.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(result.errors?.[0]?.extensions?.retryAfterSeconds).toBe(retryAfter);
  expect(result.data).toBeUndefined();
}

describe('rate limits at the gateway', () => {
  let federation: Federation;
  const gateways: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    federation = await startFederation({ seed: true });
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await federation?.stop();
  });

  const startGateway = (options: Partial<GatewayOptions>) => federation.startGateway(options);

  const from = (address: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': `198.51.100.7, ${address}`, ...headers });

  async function logIn(url: string, user: (typeof DEMO_USERS)['alice'], address: string): Promise<string> {
    const result = await postGraphQL<{ logIn: { accessToken: string } }>(
      url,
      { query: `mutation { logIn(email: "${user.email}", password: "${user.password}") { accessToken } }` },
      from(address),
    );
    expect(result.errors).toBeUndefined();
    return result.data!.logIn.accessToken;
  }

  describe('in one gateway (in memory), behind one trusted proxy', () => {
    let url: string;

    beforeAll(async () => {
      url = await startGateway({ trustProxy: 1, rateLimits: { perIp: minute(12), perAnonymousIp: minute(5), perUser: minute(8) } });
    });

    it('refuses the 6th anonymous request a minute from one address with 429 RATE_LIMITED and Retry-After, and serves other addresses', async () => {
      const address = freshAddress();
      for (let i = 0; i < 5; i += 1) expect((await postGraphQL(url, { query: PRODUCTS }, from(address))).status).toBe(200);
      const refused = await postGraphQL(url, { query: PRODUCTS }, from(address));
      expectRateLimited(refused);
      expect(refused.headers.get('x-request-id')).toBeTruthy();
      expect((await postGraphQL(url, { query: PRODUCTS }, from(freshAddress()))).status).toBe(200);
    });

    it('counts a signed-in user from every address: the 9th request a minute is refused wherever it comes from', async () => {
      const token = await logIn(url, DEMO_USERS.alice, freshAddress());
      const signedIn = (address: string) => postGraphQL(url, { query: '{ me { id } }' }, from(address, { authorization: `Bearer ${token}` }));
      for (let i = 0; i < 8; i += 1) {
        const result = await signedIn(freshAddress());
        expect(result.status).toBe(200);
        expect(result.data).toEqual({ me: { id: DEMO_USERS.alice.id } });
      }
      expectRateLimited(await signedIn(freshAddress()));
      const other = await logIn(url, DEMO_USERS.bob, freshAddress());
      const bob = await postGraphQL(url, { query: '{ me { id } }' }, from(freshAddress(), { authorization: `Bearer ${other}` }));
      expect(bob.data).toEqual({ me: { id: DEMO_USERS.bob.id } });
      expect((await postGraphQL(url, { query: PRODUCTS }, from(freshAddress()))).status).toBe(200);
    });

    it('counts every request of an address before the token is checked, so guessed tokens are limited too', async () => {
      const address = freshAddress();
      for (let i = 0; i < 12; i += 1) {
        const guess = await postGraphQL(url, { query: '{ me { id } }' }, from(address, { authorization: `Bearer guess.${i}.token` }));
        expect(guess.status).toBe(401);
      }
      expectRateLimited(await postGraphQL(url, { query: '{ me { id } }' }, from(address, { authorization: 'Bearer guess.13.token' })));
      expectRateLimited(await postGraphQL(url, { query: PRODUCTS }, from(address)));
      expect((await postGraphQL(url, { query: PRODUCTS }, from(freshAddress()))).status).toBe(200);
    });
  });

  it('ignores X-Forwarded-For when no proxy is trusted: a client cannot escape its limit by writing it', async () => {
    const url = await startGateway({ rateLimits: { perIp: false, perAnonymousIp: minute(3), perUser: false } });
    for (let i = 0; i < 3; i += 1) expect((await postGraphQL(url, { query: PRODUCTS }, from(freshAddress()))).status).toBe(200);
    expectRateLimited(await postGraphQL(url, { query: PRODUCTS }, from(freshAddress())));
  });

  it('takes the address the trusted proxy saw, not one the client wrote further left', async () => {
    const url = await startGateway({ trustProxy: 1, rateLimits: { perIp: false, perAnonymousIp: minute(2), perUser: false } });
    const address = freshAddress();
    for (let i = 0; i < 2; i += 1) {
      expect((await postGraphQL(url, { query: PRODUCTS }, { 'x-forwarded-for': `${freshAddress()}, ${address}` })).status).toBe(200);
    }
    expectRateLimited(await postGraphQL(url, { query: PRODUCTS }, { 'x-forwarded-for': `${freshAddress()}, ${address}` }));
  });

  describe('two gateway instances sharing Redis', () => {
    let first: string;
    let second: string;

    beforeAll(async () => {
      const shared = {
        redisUrl: REDIS_URL,
        trustProxy: 1,
        rateLimits: { keyPrefix: `test:rate-limits:${randomUUID()}`, perIp: minute(100), perAnonymousIp: minute(6), perUser: minute(4) },
      } satisfies Partial<GatewayOptions>;
      [first, second] = await Promise.all([startGateway(shared), startGateway(shared)]);
    });

    it('refuses the 7th anonymous request from one address whichever instance gets it, and both still serve other addresses', async () => {
      const address = freshAddress();
      for (let i = 0; i < 6; i += 1) {
        const result = await postGraphQL(i % 2 === 0 ? first : second, { query: PRODUCTS }, from(address));
        expect(result.status).toBe(200);
      }
      expectRateLimited(await postGraphQL(first, { query: PRODUCTS }, from(address)));
      expectRateLimited(await postGraphQL(second, { query: PRODUCTS }, from(address)));
      expect((await postGraphQL(first, { query: PRODUCTS }, from(freshAddress()))).status).toBe(200);
      expect((await postGraphQL(second, { query: PRODUCTS }, from(freshAddress()))).status).toBe(200);
    });

    it('shares a user\'s count between the instances', async () => {
      const token = await logIn(first, DEMO_USERS.carol, freshAddress());
      const me = (url: string) => postGraphQL(url, { query: '{ me { id } }' }, from(freshAddress(), { authorization: `Bearer ${token}` }));
      for (const url of [first, second, first, second]) expect((await me(url)).status).toBe(200);
      expectRateLimited(await me(second));
      expectRateLimited(await me(first));
    });

    it('keeps counting apart from instances with another key prefix', async () => {
      const separate = await startGateway({
        redisUrl: REDIS_URL,
        trustProxy: 1,
        rateLimits: { keyPrefix: `test:rate-limits:${randomUUID()}`, perAnonymousIp: minute(6) },
      });
      const address = freshAddress();
      for (let i = 0; i < 6; i += 1) expect((await postGraphQL(first, { query: PRODUCTS }, from(address))).status).toBe(200);
      expectRateLimited(await postGraphQL(second, { query: PRODUCTS }, from(address)));
      expect((await postGraphQL(separate, { query: PRODUCTS }, from(address))).status).toBe(200);
    });
  });

  it('fails to start, naming Redis, when REDIS_URL cannot be reached', async () => {
    const gateway = createGateway({
      port: 0,
      gatewaySecret: TEST_GATEWAY_SECRET,
      subgraphUrls: { accounts: federation.accounts.url, comms: federation.comms.url, media: federation.media.url, commerce: federation.commerce.url },
      logger: createLogger('silent'),
      redisUrl: 'redis://127.0.0.1:1',
    });
    gateways.push(gateway);
    await expect(gateway.start()).rejects.toThrow(/Redis at 127\.0\.0\.1:1 is unreachable/);
  });
});
