import { Agent, fetch } from 'undici';

/** Sockets kept open per subgraph origin. @default 64 */
export const DEFAULT_CONNECTIONS_PER_ORIGIN = 64;
/**
 * How long an idle socket is kept. Below Node's server default (5 s) so that the gateway never
 * sends on a socket the subgraph is closing. @default 4000 ms
 */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 4_000;

export interface ConnectionPoolOptions {
  /** @default DEFAULT_CONNECTIONS_PER_ORIGIN */
  connectionsPerOrigin?: number;
  /** @default DEFAULT_KEEP_ALIVE_TIMEOUT_MS */
  keepAliveTimeoutMs?: number;
}

export interface UpstreamRequest {
  method?: string | undefined;
  headers?: Record<string, string> | undefined;
  body?: string | Buffer | undefined;
}

/** Keep-alive HTTP connections to the subgraphs, shared by all of them. */
export interface ConnectionPool {
  /** Sends one request; rejects with a `TimeoutError` after `timeoutMs` (headers and body). */
  fetch(url: string, request: UpstreamRequest, timeoutMs: number): ReturnType<typeof fetch>;
  /** Closes every socket once the requests in flight are done. Idempotent. */
  close(): Promise<void>;
}

/** One undici `Agent`: a keep-alive pool per origin, so subgraph requests reuse sockets. */
export function createConnectionPool(options: ConnectionPoolOptions = {}): ConnectionPool {
  const agent = new Agent({
    connections: options.connectionsPerOrigin ?? DEFAULT_CONNECTIONS_PER_ORIGIN,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  });
  let closed: Promise<void> | undefined;
  return {
    fetch(url, request, timeoutMs) {
      return fetch(url, {
        method: request.method ?? 'POST',
        headers: request.headers,
        body: request.body,
        dispatcher: agent,
        signal: AbortSignal.timeout(timeoutMs),
      });
    },
    close: () => (closed ??= agent.close()),
  };
}
