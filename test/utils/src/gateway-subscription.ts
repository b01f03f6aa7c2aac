import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

/** One subscription through the gateway on a graphql-ws client of its own. */
export interface GatewaySubscription<TData> {
  client: Client;
  /** Every result received so far, in order. */
  results: FormattedExecutionResult<TData, unknown>[];
  /** Settles when the subscription ends: with 'complete', or with the error (a close event, or `error` messages). */
  ended: Promise<unknown>;
  /** What `ended` settled with; undefined while the subscription is live (for `expect.poll`). */
  readonly outcome: unknown;
}

/**
 * Subscribes through the gateway at `gatewayUrl` (its http(s) /graphql) with `token` in
 * `connectionParams`, on a new client that does not retry. Dispose `client` when done.
 * @param webSocketImpl another WebSocket class (e.g. one that records its sockets to cut them) @default ws
 */
export function subscribeThroughGateway<TData>(
  gatewayUrl: string,
  token: string | null,
  request: { query: string; variables?: Record<string, unknown> },
  webSocketImpl: unknown = WebSocket,
): GatewaySubscription<TData> {
  const client = createClient({
    url: gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl,
    retryAttempts: 0,
    ...(token ? { connectionParams: { authorization: `Bearer ${token}` } } : {}),
  });
  const results: FormattedExecutionResult<TData, unknown>[] = [];
  let outcome: unknown;
  const ended = new Promise<unknown>((resolve) => {
    const end = (value: unknown) => {
      outcome = value;
      resolve(value);
    };
    client.subscribe<TData>(request, { next: (result) => void results.push(result), error: end, complete: () => end('complete') });
  });
  return {
    client,
    results,
    ended,
    get outcome() {
      return outcome;
    },
  };
}
