import { Agent, fetch } from 'undici';
import { loadUpstreamTls, type UpstreamTlsOptions } from '../tls/upstream-tls.js';

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
  /** CA to trust and client certificate to present on `https://` subgraph URLs (mutual TLS). @default Node's CAs, no client certificate */
  tls?: UpstreamTlsOptions | undefined;
}

export interface UpstreamRequest {
  method?: string | undefined;
  headers?: Record<string, string> | undefined;
  body?: string | Buffer | undefined;
}

/** Keep-alive HTTP connections to the subgraphs, shared by all of them. */
export interface ConnectionPool {
  /**
   * Reads the TLS files and makes the sockets' agent; `fetch` does it on first use otherwise.
   * @throws when a TLS file cannot be read
   */
  open(): Promise<void>;
  /** Sends one request; rejects with a `TimeoutError` after `timeoutMs` (headers and body). */
  fetch(url: string, request: UpstreamRequest, timeoutMs: number): ReturnType<typeof fetch>;
  /** Closes every socket once the requests in flight are done. Idempotent. */
  close(): Promise<void>;
}

/**
 * One undici `Agent`: a keep-alive pool per origin, so subgraph requests reuse sockets; with
 * `tls`, its connections trust the given CA and present the client certificate.
 */
export function createConnectionPool(options: ConnectionPoolOptions = {}): ConnectionPool {
  let agent: Promise<Agent> | undefined;
  let closed: Promise<void> | undefined;
  const open = () => {
    if (closed) return Promise.reject(new Error('The connection pool is closed.'));
    return (agent ??= loadUpstreamTls(options.tls).then(
      (tls) =>
        new Agent({
          connections: options.connectionsPerOrigin ?? DEFAULT_CONNECTIONS_PER_ORIGIN,
          keepAliveTimeout: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
          ...(tls ? { connect: tls } : {}),
        }),
    ));
  };
  return {
    open: async () => {
      await open();
    },
    async fetch(url, request, timeoutMs) {
      return fetch(url, {
        method: request.method ?? 'POST',
        headers: request.headers,
        body: request.body,
        dispatcher: await open(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    },
    close: () =>
      (closed ??= agent
        ? agent.then(
            (opened) => opened.close(),
            () => undefined,
          )
        : Promise.resolve()),
  };
}
