import { Redis } from 'ioredis';

/** How long to wait for the first connection before giving up. @default 10000 */
export const REDIS_CONNECT_TIMEOUT_MS = 10_000;

/**
 * An ioredis client that is connected before it is returned. Eager clients that are used
 * before they are ready were seen to drop pub/sub events, so nothing here is lazy.
 * @throws when the server cannot be reached within `timeoutMs`
 */
export async function connectRedis(url: string, { timeoutMs = REDIS_CONNECT_TIMEOUT_MS, name }: { timeoutMs?: number; name?: string } = {}): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 3, ...(name ? { connectionName: name } : {}) });
  // Connection errors are reported by the rejection below, not also as ioredis "Unhandled error event" logs.
  const quiet = () => undefined;
  client.on('error', quiet);
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new Error(`Redis at ${new URL(url).host} is unreachable: ${(error as Error).message}`, { cause: error });
  } finally {
    client.off('error', quiet);
  }
  return client;
}

/** A Redis connection kept for /readyz: `ping` asks the server for PONG. */
export interface RedisProbe {
  /** Resolves on PONG; rejects while Redis cannot be reached (bound it with a timeout: a reconnecting client queues the PING). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A Redis client for readiness checks. It connects in the background and reconnects for ever
 * (errors are not logged: /readyz reports them). While it is disconnected after an error, `ping`
 * rejects at once with that error.
 */
export function createRedisProbe(url: string, { name = 'readiness' }: { name?: string } = {}): RedisProbe {
  const client = new Redis(url, { connectionName: name, maxRetriesPerRequest: 1, retryStrategy: (times) => Math.min(times * 100, 1000) });
  let lastError: Error | undefined;
  client.on('error', (error: Error) => (lastError = error));
  client.on('ready', () => (lastError = undefined));
  return {
    async ping() {
      if (client.status !== 'ready' && lastError) throw new Error(`unreachable (${lastError.message})`);
      const reply = await client.ping();
      if (reply !== 'PONG') throw new Error(`Redis answered ${reply} to PING`);
    },
    async close() {
      client.disconnect();
    },
  };
}
