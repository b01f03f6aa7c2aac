import { randomUUID } from 'node:crypto';
import type { ClientRequestArgs } from 'node:http';
import { createClient, type Client, type ClientOptions, type FormattedExecutionResult } from 'graphql-ws';
import { WebSocket } from 'ws';
import { signIdentity, signSubscription, SUBSCRIPTION_IDENTITY_EXTENSION } from './identity.js';

/** One subscription's received results, readable in order. */
export interface SubgraphSubscription<TData = Record<string, unknown>> {
  /** The next result (`next` message); rejects with the `error` message's errors, or when the subscription completed first. */
  next(): Promise<FormattedExecutionResult<TData, unknown>>;
  /** Settles when the server completes the subscription (or it fails: rejects with the errors). */
  readonly completed: Promise<void>;
  /** Every result received so far. */
  readonly received: readonly FormattedExecutionResult<TData, unknown>[];
  /** Sends `complete` (stops the subscription). */
  unsubscribe(): void;
}

export interface SubgraphSocket {
  /** Subscribes as `userId` (null: anonymous), signing the operation as the gateway does. */
  subscribe<TData = Record<string, unknown>>(userId: string | null, query: string, variables?: Record<string, unknown>): SubgraphSubscription<TData>;
  client: Client;
  close(): Promise<void>;
}

/**
 * A graphql-ws client to a subgraph that signs like the gateway: the upgrade with the gateway's
 * own identity (user empty), each `subscribe` with the user's identity in `payload.extensions.identity`.
 * For tests and tools; the gateway has its own multiplexing client.
 * @param url the subgraph's `http(s)://.../graphql` URL
 */
export function connectSubgraphSocket(url: string, secret: string, options: Partial<ClientOptions> & { tls?: ClientRequestArgs } = {}): SubgraphSocket {
  const wsUrl = url.replace(/^http/, 'ws');
  const path = new URL(wsUrl).pathname;
  class SignedWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, {
        ...options.tls,
        headers: signIdentity(secret, { userId: null, requestId: randomUUID(), clientIp: '' }, { method: 'GET', path, body: '' }),
      });
    }
  }
  const { tls: _tls, ...clientOptions } = options;
  const client = createClient({ url: wsUrl, webSocketImpl: SignedWebSocket, retryAttempts: 0, lazy: true, ...clientOptions });
  return {
    client,
    subscribe<TData>(userId: string | null, query: string, variables: Record<string, unknown> = {}): SubgraphSubscription<TData> {
      const identity = signSubscription(secret, { userId, requestId: randomUUID(), clientIp: '127.0.0.1' }, { query, variables, operationName: null });
      const received: FormattedExecutionResult<TData, unknown>[] = [];
      const waiting: { resolve: (value: FormattedExecutionResult<TData, unknown>) => void; reject: (error: unknown) => void }[] = [];
      let read = 0;
      let ended: { error?: unknown } | undefined;
      let settle!: { resolve: () => void; reject: (error: unknown) => void };
      const completed = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
      completed.catch(() => undefined);
      const end = (error?: unknown) => {
        ended = { error };
        for (const waiter of waiting.splice(0)) waiter.reject(error ?? new Error('The subscription completed.'));
        if (error === undefined) settle.resolve();
        else settle.reject(error);
      };
      const unsubscribe = client.subscribe<TData>(
        { query, variables, extensions: { [SUBSCRIPTION_IDENTITY_EXTENSION]: identity } },
        {
          next: (result) => {
            received.push(result as FormattedExecutionResult<TData, unknown>);
            const waiter = waiting.shift();
            if (waiter) {
              read++;
              waiter.resolve(result as FormattedExecutionResult<TData, unknown>);
            }
          },
          error: (error) => end(error),
          complete: () => end(),
        },
      );
      return {
        received,
        completed,
        unsubscribe,
        next() {
          if (read < received.length) return Promise.resolve(received[read++]!);
          if (ended) return Promise.reject(ended.error ?? new Error('The subscription completed.'));
          return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
        },
      };
    },
    close: () => client.dispose() as Promise<void>,
  };
}
