import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { GraphQLError } from 'graphql';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode, type connectRedis, type Logger } from '@mega/subgraph-kit';

export type RedisClient = Awaited<ReturnType<typeof connectRedis>>;

/** One counter of failed logins: `points` failures within `durationSeconds` block for `blockSeconds`. */
export interface LoginLimit {
  points: number;
  durationSeconds: number;
  blockSeconds: number;
}

/**
 * Consecutive failed logins for one account from one IP (the pair): 5 within 15 minutes block that
 * pair for 15 minutes. A successful login for the pair resets it. The key is the account's
 * normalised email, so unknown emails are counted (and blocked) exactly like real accounts.
 */
export const LOGIN_PAIR_LIMIT: LoginLimit = { points: 5, durationSeconds: 15 * 60, blockSeconds: 15 * 60 };

/**
 * Failed logins from one IP across all accounts: 100 within a day block the IP's logins for a day.
 * Slows one machine spraying passwords over many accounts. IPv6 addresses count per /64.
 */
export const LOGIN_IP_LIMIT: LoginLimit = { points: 100, durationSeconds: 24 * 60 * 60, blockSeconds: 24 * 60 * 60 };

/**
 * Failed logins for one account from any IP: 50 within a day block the account for a day, for
 * IPs that have never signed in to it successfully ({@link LOGIN_KNOWN_SOURCE_TTL_SECONDS}).
 * Slows a botnet guessing one account's password from many addresses; its owner still gets in
 * from a network they have used before, so an attacker cannot lock them out that way.
 */
export const LOGIN_ACCOUNT_LIMIT: LoginLimit = { points: 50, durationSeconds: 24 * 60 * 60, blockSeconds: 24 * 60 * 60 };

/** How long an (account, IP) pair is remembered after a successful login; each success renews it. @default 90 days */
export const LOGIN_KNOWN_SOURCE_TTL_SECONDS = 90 * 24 * 60 * 60;

/** Prefix of the throttling keys in Redis. @default 'mega:accounts:login' */
export const DEFAULT_LOGIN_THROTTLE_KEY_PREFIX = 'mega:accounts:login';

/** The attempt is refused without checking the password; `retryAfterSeconds` says when the block ends. */
export function rateLimited(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Too many failed sign-in attempts. Try again in ${retryAfterSeconds} seconds.`, {
    extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds },
  });
}

/**
 * The address a limit counts: IPv4 as it is (also when IPv6-mapped), IPv6 by its /64 prefix
 * (one subscriber usually holds a whole /64), `unknown` when there is none.
 */
export function clientAddressKey(ip: string): string {
  const address = ip.trim().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return 'unknown';
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/** One counted login attempt; report how it ended. */
export interface LoginAttempt {
  /** Wrong password or unknown email: the counts stay, and a limit that was reached blocks. */
  failed(): Promise<void>;
  /** Resets the pair's consecutive failures, takes the attempt back from the IP and account counts, and remembers the IP for the account. */
  succeeded(): Promise<void>;
}

interface Counter {
  name: 'pair' | 'ip' | 'account';
  limiter: RateLimiterAbstract;
  key: string;
  limit: LoginLimit;
}

function accountKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
}

/**
 * The (account, IP) pairs that have signed in successfully: a plain set with expiry, in Redis
 * (`SET ... EX`) or in this process (bounded; the oldest entries go first). Not a rate limiter:
 * rate-limiter-flexible's memory store cannot hold keys for longer than about 24 days.
 */
class KnownSources {
  private readonly memory = new Map<string, number>();

  constructor(
    private readonly redis: RedisClient | undefined,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
    private readonly maxMemoryEntries = 100_000,
  ) {}

  async has(key: string): Promise<boolean> {
    if (!this.redis) return (this.memory.get(key) ?? 0) > Date.now();
    try {
      return (await this.redis.exists(`${this.keyPrefix}:${key}`)) === 1;
    } catch (error) {
      this.logger.warn({ err: error }, 'cannot read known login sources; treating the address as unfamiliar');
      return false;
    }
  }

  async remember(key: string): Promise<void> {
    if (!this.redis) {
      this.memory.delete(key);
      this.memory.set(key, Date.now() + LOGIN_KNOWN_SOURCE_TTL_SECONDS * 1000);
      if (this.memory.size > this.maxMemoryEntries) this.memory.delete(this.memory.keys().next().value!);
      return;
    }
    try {
      await this.redis.set(`${this.keyPrefix}:${key}`, '1', 'EX', LOGIN_KNOWN_SOURCE_TTL_SECONDS);
    } catch (error) {
      this.logger.warn({ err: error }, 'cannot remember a login source');
    }
  }
}

export interface LoginThrottleOptions {
  /** Shared by all instances; absent: counters live in this process. */
  redis?: RedisClient | undefined;
  /** @default DEFAULT_LOGIN_THROTTLE_KEY_PREFIX */
  keyPrefix?: string;
  logger: Logger;
}

/**
 * Login throttling against password guessing (the OWASP pattern), with rate-limiter-flexible:
 * per (account, IP) pair ({@link LOGIN_PAIR_LIMIT}), per IP ({@link LOGIN_IP_LIMIT}) and per
 * account from unfamiliar IPs ({@link LOGIN_ACCOUNT_LIMIT}). Only failures count in the end; a
 * blocked attempt is refused before the password is checked and does not extend the block. In
 * memory by default; in Redis when given a client, with an in-memory fallback while Redis is unreachable.
 */
export class LoginThrottle {
  private readonly pair: RateLimiterAbstract;
  private readonly ip: RateLimiterAbstract;
  private readonly account: RateLimiterAbstract;
  private readonly knownSources: KnownSources;
  private readonly logger: Logger;

  constructor(options: LoginThrottleOptions) {
    const prefix = options.keyPrefix ?? DEFAULT_LOGIN_THROTTLE_KEY_PREFIX;
    const limiter = (name: string, points: number, duration: number): RateLimiterAbstract => {
      const settings = { keyPrefix: `${prefix}:${name}`, points, duration };
      if (!options.redis) return new RateLimiterMemory(settings);
      return new RateLimiterRedis({ ...settings, storeClient: options.redis, insuranceLimiter: new RateLimiterMemory(settings) });
    };
    this.pair = limiter('pair', LOGIN_PAIR_LIMIT.points, LOGIN_PAIR_LIMIT.durationSeconds);
    this.ip = limiter('ip', LOGIN_IP_LIMIT.points, LOGIN_IP_LIMIT.durationSeconds);
    this.account = limiter('account', LOGIN_ACCOUNT_LIMIT.points, LOGIN_ACCOUNT_LIMIT.durationSeconds);
    this.knownSources = new KnownSources(options.redis, `${prefix}:known`, options.logger);
    this.logger = options.logger;
  }

  /**
   * Starts a login attempt: counts it as a failure for the pair, the IP and the account before the
   * password is checked, so that simultaneous attempts cannot slip past a limit. Report the
   * outcome on the returned attempt; one that is never reported stays counted as a failure.
   * @throws RATE_LIMITED (with `retryAfterSeconds`) when a limit blocks this email from this IP;
   * the refused attempt is not counted and does not extend any block
   */
  async attempt(email: string, clientIp: string): Promise<LoginAttempt> {
    const keys = this.keys(email, clientIp);
    const counters: Counter[] = [
      { name: 'pair', limiter: this.pair, key: keys.pair, limit: LOGIN_PAIR_LIMIT },
      { name: 'ip', limiter: this.ip, key: keys.address, limit: LOGIN_IP_LIMIT },
      { name: 'account', limiter: this.account, key: keys.account, limit: LOGIN_ACCOUNT_LIMIT },
    ];
    const counted = await Promise.all(counters.map((counter) => counter.limiter.penalty(counter.key, 1)));
    const waits = counted.map((res, i) => (res.consumedPoints > counters[i]!.limit.points ? Math.max(res.msBeforeNext, 1) : 0));
    if (waits[2]! > 0 && (await this.knownSources.has(keys.pair))) waits[2] = 0;
    const longest = Math.max(...waits);
    if (longest > 0) {
      await Promise.all(counters.map((counter) => counter.limiter.reward(counter.key, 1)));
      throw rateLimited(Math.ceil(longest / 1000));
    }
    return {
      failed: async () => {
        // The attempt that reached a limit starts its block; later ones (an account's known IPs
        // may still try while it is blocked) neither extend it nor block again.
        await Promise.all(
          counters.map(async (counter, i) => {
            if (counted[i]!.consumedPoints !== counter.limit.points) return;
            await counter.limiter.block(counter.key, counter.limit.blockSeconds);
            this.logger.warn({ limit: counter.name, clientIp: keys.address, blockSeconds: counter.limit.blockSeconds }, 'login throttled after repeated failures');
          }),
        );
      },
      succeeded: async () => {
        await Promise.all([
          this.pair.delete(keys.pair),
          this.ip.reward(keys.address, 1),
          this.account.reward(keys.account, 1),
          this.knownSources.remember(keys.pair),
        ]);
      },
    };
  }

  private keys(email: string, clientIp: string) {
    const account = accountKey(email);
    const address = clientAddressKey(clientIp);
    return { account, address, pair: `${account}:${address}` };
  }
}
