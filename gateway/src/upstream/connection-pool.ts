import { STATUS_CODES } from 'node:http';
import { Agent, fetch, type Dispatcher } from 'undici';
import { loadUpstreamTls, type UpstreamTlsOptions } from '../tls/upstream-tls.js';

/** Sockets kept open per subgraph origin. @default 64 */
export const DEFAULT_CONNECTIONS_PER_ORIGIN = 64;
/**
 * How long an idle socket is kept. Below Node's server default (5 s) so that the gateway never
 * sends on a socket the subgraph is closing. @default 4000 ms
 */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 4_000;

/** Subgraph URLs whose parsing is remembered (health checks and key sets add a few more). */
const MAX_REMEMBERED_TARGETS = 256;

function headerValue(value: string | string[] | undefined): string | null {
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}

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

/**
 * A subgraph's answer from `ConnectionPool.request`: status and headers, the body read on demand.
 * The part of a fetch `Response` that the data sources use, without WHATWG streams.
 */
export interface UpstreamResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  /** The whole body as text; rejects with a `TimeoutError` when it is not in within the request's time. */
  text(): Promise<string>;
  /** Drops the body unread (the socket goes back to the pool). */
  discard(): Promise<void>;
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
  /**
   * The same as `fetch`, on undici's own request API: what a subgraph request costs the gateway's
   * CPU is about half (no WHATWG streams, one timer instead of `AbortSignal.timeout`).
   */
  request(url: string, request: UpstreamRequest, timeoutMs: number): Promise<UpstreamResponse>;
  /** Closes every socket once the requests in flight are done. Idempotent. */
  close(): Promise<void>;
}

/**
 * One undici `Agent`: a keep-alive pool per origin, so subgraph requests reuse sockets; with
 * `tls`, its connections trust the given CA and present the client certificate.
 */
export function createConnectionPool(options: ConnectionPoolOptions = {}): ConnectionPool {
  let agent: Promise<Agent> | undefined;
  /** Origin and path of each subgraph URL, parsed once (there are a handful). */
  const targets = new Map<string, { origin: string; path: string }>();
  const remember = (url: string) => {
    const parsed = new URL(url);
    const target = { origin: parsed.origin, path: parsed.pathname + parsed.search };
    if (targets.size < MAX_REMEMBERED_TARGETS) targets.set(url, target);
    return target;
  };
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
    async request(url, request, timeoutMs) {
      const dispatcher = await open();
      const { origin, path } = (targets.get(url) ?? remember(url))!;
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new DOMException(`The subgraph did not answer within ${timeoutMs} ms.`, 'TimeoutError')), timeoutMs);
      let answer: Dispatcher.ResponseData;
      try {
        answer = await dispatcher.request({ origin, path, method: (request.method ?? 'POST') as Dispatcher.HttpMethod, headers: request.headers, body: request.body, signal: abort.signal });
      } catch (error) {
        clearTimeout(timer);
        throw error;
      }
      const { statusCode, headers, body } = answer;
      return {
        ok: statusCode >= 200 && statusCode < 300,
        status: statusCode,
        statusText: STATUS_CODES[statusCode] ?? '',
        url,
        headers: { get: (name) => headerValue(headers[name.toLowerCase()]) },
        text: () => body.text().finally(() => clearTimeout(timer)),
        discard: () => body.dump().finally(() => clearTimeout(timer)),
      };
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
