import { connectRedis } from '@mega/subgraph-kit/redis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { GatewayErrorCode, GatewayHttpError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { GatewayContext } from '../context.js';
import type { GatewayPlugin } from './plugin.js';

type RedisClient = Awaited<ReturnType<typeof connectRedis>>;

/** `points` requests per `durationSeconds`, counted in a fixed window that starts at the first request. */
export interface RateLimit {
  points: number;
  durationSeconds: number;
}

/** The limits in force unless configured otherwise. */
export const DEFAULT_RATE_LIMITS = {
  /** Every request from one client address, signed in or not (shared NAT, token guessing): 1200 a minute. */
  perIp: { points: 1200, durationSeconds: 60 },
  /** Anonymous requests from one client address: 300 a minute. */
  perAnonymousIp: { points: 300, durationSeconds: 60 },
  /** Requests of one signed-in user, from any address: 600 a minute. */
  perUser: { points: 600, durationSeconds: 60 },
} as const satisfies Record<string, RateLimit>;

/** Prefix of the counters' keys in Redis (`<prefix>:ip:<address>`, `...:anonymous:<address>`, `...:user:<id>`). */
export const DEFAULT_RATE_LIMIT_KEY_PREFIX = 'mega:gateway:rate-limit';

export interface RateLimitsOptions {
  /** Checked first, before the access token is verified. @default DEFAULT_RATE_LIMITS.perIp; false: off */
  perIp?: RateLimit | false;
  /** Checked for requests without a token. @default DEFAULT_RATE_LIMITS.perAnonymousIp; false: off */
  perAnonymousIp?: RateLimit | false;
  /** Checked for requests with a valid token. @default DEFAULT_RATE_LIMITS.perUser; false: off */
  perUser?: RateLimit | false;
  /**
   * Count in this Redis so that every gateway instance sharing it shares the limits. While Redis
   * is unreachable each instance counts in its own memory. @default none: this process's memory
   */
  redisUrl?: string;
  /** @default DEFAULT_RATE_LIMIT_KEY_PREFIX */
  keyPrefix?: string;
  logger: Logger;
}

/** The same counters for other transports (the WebSocket server counts each connection and each `subscribe`). */
export interface RateLimitChecks {
  /**
   * Counts one request (a WebSocket upgrade) from `clientIp` against `perIp`.
   * @throws GatewayHttpError 429 RATE_LIMITED
   */
  limitConnection(clientIp: string): Promise<void>;
  /**
   * Counts one operation against `perUser` (signed in) or `perAnonymousIp`.
   * @throws GatewayHttpError 429 RATE_LIMITED
   */
  limitOperation(context: Pick<GatewayContext, 'userId' | 'clientIp'>): Promise<void>;
}

type LimiterName = keyof typeof DEFAULT_RATE_LIMITS;

const KEY_SEGMENT: Record<LimiterName, string> = { perIp: 'ip', perAnonymousIp: 'anonymous', perUser: 'user' };

function rateLimited(retryAfterSeconds: number): GatewayHttpError {
  return new GatewayHttpError(
    429,
    GatewayErrorCode.RATE_LIMITED,
    `Too many requests; try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
    { 'retry-after': String(retryAfterSeconds) },
    { retryAfterSeconds },
  );
}

/**
 * Rate limits with rate-limiter-flexible, per client address and per user. Before the token is
 * checked, every request counts against its address (`perIp`); once the caller is known, a
 * signed-in request counts against its user (`perUser`), an anonymous one against its address
 * again (`perAnonymousIp`). Over a limit: HTTP 429 `RATE_LIMITED` with `Retry-After` (seconds) and
 * `extensions.retryAfterSeconds`. The address is `context.clientIp` (see the gateway's `trustProxy`).
 */
export function useRateLimits(options: RateLimitsOptions): GatewayPlugin & RateLimitChecks {
  const { logger } = options;
  const keyPrefix = options.keyPrefix ?? DEFAULT_RATE_LIMIT_KEY_PREFIX;
  const configured: Record<LimiterName, RateLimit | false> = {
    perIp: options.perIp ?? DEFAULT_RATE_LIMITS.perIp,
    perAnonymousIp: options.perAnonymousIp ?? DEFAULT_RATE_LIMITS.perAnonymousIp,
    perUser: options.perUser ?? DEFAULT_RATE_LIMITS.perUser,
  };
  const limiters = new Map<LimiterName, RateLimiterAbstract>();
  let redis: RedisClient | undefined;

  function build(name: LimiterName, limit: RateLimit): RateLimiterAbstract {
    const common = { points: limit.points, duration: limit.durationSeconds, keyPrefix: `${keyPrefix}:${KEY_SEGMENT[name]}` };
    if (!redis) return new RateLimiterMemory(common);
    return new RateLimiterRedis({
      ...common,
      storeClient: redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(common),
    });
  }

  async function consume(name: LimiterName, key: string): Promise<void> {
    const limiter = limiters.get(name);
    if (!limiter) return;
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      logger.debug({ limit: name, key }, 'rate limited');
      throw rateLimited(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    }
  }

  async function limitOperation({ userId, clientIp }: Pick<GatewayContext, 'userId' | 'clientIp'>): Promise<void> {
    if (userId) await consume('perUser', userId);
    else await consume('perAnonymousIp', clientIp);
  }

  return {
    name: 'rate-limits',
    async start() {
      if (options.redisUrl) redis = await connectRedis(options.redisUrl, { name: 'gateway-rate-limits' });
      for (const [name, limit] of Object.entries(configured) as [LimiterName, RateLimit | false][]) {
        if (limit) limiters.set(name, build(name, limit));
      }
    },
    async stop() {
      limiters.clear();
      await redis?.quit().catch(() => redis?.disconnect());
      redis = undefined;
    },
    async onRequest(request) {
      await consume('perIp', request.context.clientIp);
    },
    async onParams(request) {
      await limitOperation(request.context);
    },
    limitConnection: (clientIp) => consume('perIp', clientIp),
    limitOperation,
  };
}
