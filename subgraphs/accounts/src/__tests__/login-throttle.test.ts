import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GraphQLError } from 'graphql';
import { connectRedis, createLogger, signIdentity } from '@mega/subgraph-kit';
import { createPostgresDatabase, DATABASE_DRIVERS, postGraphQL, TEST_GATEWAY_SECRET, type TestDatabase } from '@mega/test-utils';
import {
  clientAddressKey,
  LOGIN_ACCOUNT_LIMIT,
  LOGIN_IP_LIMIT,
  LOGIN_PAIR_LIMIT,
  LoginThrottle,
  type RedisClient,
} from '../session/login-throttle.js';
import { startAccounts } from '../server.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger('accounts', 'silent');

/** The RATE_LIMITED error `promise` rejects with; fails when it resolves. */
async function rateLimitedBy(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  expect((error as GraphQLError).extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
  return (error as GraphQLError).extensions.retryAfterSeconds as number;
}

async function deleteKeys(redis: RedisClient, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
}

describe('client address keys', () => {
  it('counts IPv4 as it is, IPv4-mapped IPv6 as IPv4, IPv6 per /64 and anything else as unknown', () => {
    expect(clientAddressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('2001:db8:aa:bb:1:2:3:4')).toBe('2001:db8:aa:bb::/64');
    expect(clientAddressKey('2001:db8:aa:bb::99')).toBe('2001:db8:aa:bb::/64');
    expect(clientAddressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
    expect(clientAddressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientAddressKey('')).toBe('unknown');
    expect(clientAddressKey('not an address')).toBe('unknown');
  });
});

const BACKENDS = [
  { backend: 'memory' as const, connect: async () => undefined },
  { backend: 'redis' as const, connect: () => connectRedis(REDIS_URL, { name: 'accounts-test' }) },
];

describe.each(BACKENDS)('login throttle in $backend', ({ backend, connect }) => {
  let redis: RedisClient | undefined;
  const prefix = `test:accounts-login:${randomUUID()}`;
  const throttle = () => new LoginThrottle({ redis, keyPrefix: prefix, logger });
  const email = () => `${randomUUID()}@example.com`;
  const ip = () => `198.51.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;

  async function fail(limiter: LoginThrottle, address: string, from: string, times = 1) {
    for (let i = 0; i < times; i += 1) await (await limiter.attempt(address, from)).failed();
  }
  const allowed = async (limiter: LoginThrottle, address: string, from: string) => {
    await expect(limiter.attempt(address, from)).resolves.toBeDefined();
  };

  beforeAll(async () => {
    redis = await connect();
  });
  afterAll(async () => {
    if (redis) {
      await deleteKeys(redis, prefix);
      await redis.quit();
    }
  });

  it('blocks an (account, IP) pair after 5 failures for 15 minutes, and only that pair', async () => {
    const limiter = throttle();
    const [account, from] = [email(), ip()];
    await fail(limiter, account, from, LOGIN_PAIR_LIMIT.points);
    const retryAfter = await rateLimitedBy(limiter.attempt(account, from));
    expect(retryAfter).toBeGreaterThan(LOGIN_PAIR_LIMIT.blockSeconds - 10);
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_PAIR_LIMIT.blockSeconds);
    // Differently spelled, the same account.
    await rateLimitedBy(limiter.attempt(` ${account.toUpperCase()} `, from));
    await allowed(limiter, account, ip());
    await allowed(limiter, email(), from);
  });

  it("resets a pair's consecutive failures when it signs in successfully", async () => {
    const limiter = throttle();
    const [account, from] = [email(), ip()];
    await fail(limiter, account, from, LOGIN_PAIR_LIMIT.points - 1);
    await (await limiter.attempt(account, from)).succeeded();
    await fail(limiter, account, from, LOGIN_PAIR_LIMIT.points - 1);
    const last = await limiter.attempt(account, from);
    await last.failed();
    await rateLimitedBy(limiter.attempt(account, from));
  });

  it('blocks an IPv6 attacker per /64, whatever address of it they use', async () => {
    const limiter = throttle();
    const account = email();
    for (let i = 0; i < LOGIN_PAIR_LIMIT.points; i += 1) await fail(limiter, account, `2001:db8:1:2::${i + 1}`);
    await rateLimitedBy(limiter.attempt(account, '2001:db8:1:2:ffff::1'));
    await allowed(limiter, account, '2001:db8:1:3::1');
  });

  it('blocks an IP for a day after 100 failures spread over many accounts', async () => {
    const limiter = throttle();
    const from = ip();
    for (let i = 0; i < LOGIN_IP_LIMIT.points; i += 1) await fail(limiter, email(), from);
    const retryAfter = await rateLimitedBy(limiter.attempt(email(), from));
    expect(retryAfter).toBeGreaterThan(LOGIN_IP_LIMIT.blockSeconds - 10);
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_IP_LIMIT.blockSeconds);
    await allowed(limiter, email(), ip());
  });

  it('blocks an account for unfamiliar IPs after 50 failures from many IPs, but not an IP that signed in to it before', async () => {
    const limiter = throttle();
    const [account, home] = [email(), ip()];
    await (await limiter.attempt(account, home)).succeeded();
    for (let i = 0; i < LOGIN_ACCOUNT_LIMIT.points; i += 1) await fail(limiter, account, `192.0.2.${i}`);
    const retryAfter = await rateLimitedBy(limiter.attempt(account, ip()));
    expect(retryAfter).toBeGreaterThan(LOGIN_ACCOUNT_LIMIT.blockSeconds - 10);
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_ACCOUNT_LIMIT.blockSeconds);
    await allowed(limiter, email(), ip());
    // The owner's own typo from home neither blocks home nor extends the block.
    await fail(limiter, account, home);
    await (await limiter.attempt(account, home)).succeeded();
    expect(await rateLimitedBy(limiter.attempt(account, ip()))).toBeLessThanOrEqual(retryAfter);
  });

  it('lets no more attempts through than the limit when they arrive simultaneously', async () => {
    const limiter = throttle();
    const [account, from] = [email(), ip()];
    const attempts = await Promise.allSettled(Array.from({ length: 20 }, () => limiter.attempt(account, from)));
    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(LOGIN_PAIR_LIMIT.points);
    for (const attempt of attempts) if (attempt.status === 'fulfilled') await attempt.value.failed();
    await rateLimitedBy(limiter.attempt(account, from));
  });

  if (backend === 'redis') {
    it('shares counters between instances through Redis', async () => {
      const [one, two] = [throttle(), throttle()];
      const [account, from] = [email(), ip()];
      await fail(one, account, from, LOGIN_PAIR_LIMIT.points - 1);
      await (await two.attempt(account, from)).succeeded();
      await fail(one, account, from, LOGIN_PAIR_LIMIT.points);
      await rateLimitedBy(two.attempt(account, from));
    });
  }

  if (backend === 'memory') {
    describe('with a fake clock', () => {
      afterEach(() => {
        vi.useRealTimers();
      });

      it('lifts every block when it expires, so an attacker cannot lock anyone out for good', async () => {
        vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
        const limiter = throttle();
        const [account, from] = [email(), ip()];
        await fail(limiter, account, from, LOGIN_PAIR_LIMIT.points);
        for (let i = 0; i < LOGIN_IP_LIMIT.points - LOGIN_PAIR_LIMIT.points; i += 1) await fail(limiter, email(), from);
        for (let i = 0; i < LOGIN_ACCOUNT_LIMIT.points - LOGIN_PAIR_LIMIT.points; i += 1) await fail(limiter, account, `192.0.2.${i}`);
        await rateLimitedBy(limiter.attempt(account, from));
        await rateLimitedBy(limiter.attempt(email(), from));
        await rateLimitedBy(limiter.attempt(account, ip()));

        vi.advanceTimersByTime(LOGIN_PAIR_LIMIT.blockSeconds * 1000);
        await rateLimitedBy(limiter.attempt(account, from)); // the IP and account blocks still hold
        await rateLimitedBy(limiter.attempt(account, ip()));
        vi.advanceTimersByTime(Math.max(LOGIN_IP_LIMIT.blockSeconds, LOGIN_ACCOUNT_LIMIT.blockSeconds) * 1000);
        await allowed(limiter, account, from);
        await allowed(limiter, account, ip());
      });
    });
  }
});

const LOG_IN = `mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { user { id } } }`;

/** logIn on `url` as the gateway would relay it for a client at `clientIp`. */
function logInFrom(url: string, clientIp: string, email: string, password: string) {
  return postGraphQL<{ logIn: { user: { id: string } } }>(url, { query: LOG_IN, variables: { email, password } }, (body) =>
    signIdentity(TEST_GATEWAY_SECRET, { userId: null, requestId: randomUUID(), clientIp }, { method: 'POST', path: '/graphql', body }),
  );
}

async function signUp(url: string, email: string, handle: string) {
  const result = await postGraphQL(url, { query: `mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }`, variables: { input: { email, password: 'correct horse', handle, displayName: handle } } }, (body) =>
    signIdentity(TEST_GATEWAY_SECRET, { userId: null, requestId: randomUUID(), clientIp: '127.0.0.1' }, { method: 'POST', path: '/graphql', body }),
  );
  expect(result.errors).toBeUndefined();
}

describe.each(DATABASE_DRIVERS)('logIn throttling on $driver', ({ create }) => {
  let database: TestDatabase;
  let accounts: Awaited<ReturnType<typeof startAccounts>>;

  beforeAll(async () => {
    database = await create();
    accounts = await startAccounts({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, database: database.options, logger });
    await signUp(accounts.url, 'kim@example.com', 'kim');
  });
  afterAll(async () => {
    await accounts?.stop();
    await database?.drop();
  });

  it('answers RATE_LIMITED with retryAfterSeconds after 5 wrong passwords, also to the right one, and still lets the owner in from elsewhere', async () => {
    for (let i = 0; i < LOGIN_PAIR_LIMIT.points; i += 1) {
      const wrong = await logInFrom(accounts.url, '203.0.113.9', 'kim@example.com', 'wrong horse');
      expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const blocked = await logInFrom(accounts.url, '203.0.113.9', 'kim@example.com', 'correct horse');
    expect(blocked.status).toBe(200);
    expect(blocked.data).toBeNull();
    expect(blocked.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect(blocked.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);

    const elsewhere = await logInFrom(accounts.url, '198.51.100.4', 'kim@example.com', 'correct horse');
    expect(elsewhere.errors).toBeUndefined();
  });

  it('throttles unknown emails exactly like real accounts, so that blocks reveal nothing', async () => {
    for (let i = 0; i < LOGIN_PAIR_LIMIT.points; i += 1) await logInFrom(accounts.url, '203.0.113.10', 'nobody@example.com', 'guess');
    const blocked = await logInFrom(accounts.url, '203.0.113.10', 'nobody@example.com', 'guess');
    expect(blocked.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});

describe('logIn throttling with REDIS_URL, across two instances', () => {
  let database: TestDatabase;
  const instances: Awaited<ReturnType<typeof startAccounts>>[] = [];
  const prefix = `test:accounts-login:${randomUUID()}`;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    for (let i = 0; i < 2; i += 1) {
      instances.push(
        await startAccounts({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, database: database.options, logger, redisUrl: REDIS_URL, loginThrottleKeyPrefix: prefix }),
      );
    }
    await signUp(instances[0]!.url, 'lee@example.com', 'lee');
  });
  afterAll(async () => {
    for (const instance of instances) await instance.stop();
    const redis = await connectRedis(REDIS_URL);
    await deleteKeys(redis, prefix);
    await redis.quit();
    await database?.drop();
  });

  it('blocks on one instance the failures counted by the other', async () => {
    for (let i = 0; i < LOGIN_PAIR_LIMIT.points; i += 1) {
      const wrong = await logInFrom(instances[i % 2]!.url, '203.0.113.11', 'lee@example.com', 'wrong horse');
      expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    for (const instance of instances) {
      const blocked = await logInFrom(instance.url, '203.0.113.11', 'lee@example.com', 'correct horse');
      expect(blocked.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    }
    expect(await instances[0]!.services.redis?.keys(`${prefix}:*`)).not.toHaveLength(0);
  });
});
