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
