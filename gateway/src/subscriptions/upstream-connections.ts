import { randomUUID } from 'node:crypto';
import { signSubscription, SUBSCRIPTION_IDENTITY_EXTENSION, type Identity, type SubscriptionOperation } from '@mega/subgraph-kit/identity';
import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Logger } from '../logger.js';
import type { UpstreamTlsMaterial } from '../tls/upstream-tls.js';
import { signUpgrade } from './subscription-identity.js';

/** WebSocket pings from the gateway on each subgraph connection; when nothing (no pong, no message) arrived for this long it is cut (its subscriptions end SUBGRAPH_UNAVAILABLE). @default 10000 ms */
export const DEFAULT_UPSTREAM_KEEPALIVE_MS = 10_000;

/** How one upstream subscription ends, besides events. */
export interface UpstreamSink {
  next(result: FormattedExecutionResult): void;
  /** The subgraph refused or ended the subscription with GraphQL errors (e.g. UNAUTHENTICATED). */
  errors(errors: readonly GraphQLFormattedError[]): void;
  /**
   * The connection to the subgraph failed or closed: the subscription cannot go on. `neverSent`:
   * the connection was never acknowledged, so the subgraph never saw this subscription (it may be
   * opened elsewhere without missing anything).
   */
  unavailable(reason: string, neverSent: boolean): void;
  complete(): void;
}

export interface UpstreamConnectionsOptions {
  gatewaySecret: string;
  /** TLS material for `wss://` subgraphs (CA, client certificate). @default Node's CAs */
  tls?: () => Promise<UpstreamTlsMaterial | undefined>;
  /** @default DEFAULT_UPSTREAM_KEEPALIVE_MS */
  keepAliveMs?: number;
  /** Told when the connection of a subscription to `url` (as given to `subscribe`) failed or dropped: that instance is likely down. @default none */
  onUnavailable?: (url: string, reason: string) => void;
  logger: Logger;
}

/** `http(s)://host/graphql` -> `ws(s)://host/graphql`. */
export function webSocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * The gateway's graphql-ws connections to the subgraphs: ONE per subgraph URL, opened on the first
 * subscription and closed when the last one ends (graphql-ws `lazy`), multiplexing every user's
 * subscriptions. The upgrade request is signed as the gateway; each `subscribe` message carries the
 * user's signed identity in `payload.extensions.identity`. A connection that fails or closes ends
 * every subscription on it with `unavailable` (no retry: the client resubscribes, which opens a new one,
 * on another instance when the subgraph has several: `onUnavailable` has the failed one marked down;
 * a silent retry here would drop the events published meanwhile, which the client's resubscription
 * with its cursor, e.g. `messageAdded(afterSeq)`, catches up on).
 */
export class UpstreamConnections {
  private readonly clients = new Map<string, Client>();
  /** Whether each client's current socket was acknowledged (`connection_ack`): only then are subscriptions sent on it. */
  private readonly acknowledged = new Map<string, boolean>();
  private tls: UpstreamTlsMaterial | undefined;

  constructor(private readonly options: UpstreamConnectionsOptions) {}

  /** Reads the TLS material once (before the first connection). */
  async open(): Promise<void> {
    this.tls = await this.options.tls?.();
  }

  /** Number of subgraph connections (open or opening). */
  get size(): number {
    return this.clients.size;
  }

  private client(url: string): Client {
    let client = this.clients.get(url);
    if (client) return client;
    const { gatewaySecret, logger } = this.options;
    const tls = this.tls;
    const keepAliveMs = this.options.keepAliveMs ?? DEFAULT_UPSTREAM_KEEPALIVE_MS;
    const path = new URL(url).pathname + new URL(url).search;
    /** A signed upgrade, and a heartbeat: a subgraph that stops answering pings (a dead peer, a partition) is cut, not waited for. */
    class SignedWebSocket extends WebSocket {
      constructor(address: string | URL, protocols?: string | string[]) {
        super(address, protocols, { headers: signUpgrade(gatewaySecret, randomUUID(), path), ...(tls ?? {}) });
        if (keepAliveMs <= 0) return;
        let answered = true;
        const heartbeat = setInterval(() => {
          if (this.readyState !== WebSocket.OPEN) return;
          if (!answered) return this.terminate();
          answered = false;
          this.ping();
        }, keepAliveMs);
        heartbeat.unref();
        // Anything received proves the subgraph alive: under load its pong can queue behind thousands
        // of events on this one multiplexed socket, and such a subgraph must not be cut.
        const alive = () => (answered = true);
        this.on('pong', alive);
        this.on('message', alive);
        this.once('close', () => clearInterval(heartbeat));
      }
    }
    client = createClient({
      url,
      webSocketImpl: SignedWebSocket,
      lazy: true,
      lazyCloseTimeout: 0,
      retryAttempts: 0,
      on: {
        // Registered before any subscription's sink: they run before a failure reaches the sinks.
        connecting: () => this.acknowledged.set(url, false),
        connected: () => this.acknowledged.set(url, true),
        closed: (event) => logger.debug({ url, code: (event as { code?: number }).code }, 'subgraph WebSocket closed'),
        error: (error) => logger.warn({ url, err: error }, 'subgraph WebSocket failed'),
      },
    });
    this.clients.set(url, client);
    return client;
  }

  /**
   * Opens `payload` as a subscription on the subgraph at `url` (http(s) or ws(s)) for `identity`.
   * @returns stops the subscription (sends `complete` upstream)
   */
  subscribe(url: string, payload: SubscriptionOperation, identity: Identity, sink: UpstreamSink): () => void {
    const target = url.startsWith('ws') ? url : webSocketUrl(url);
    const variables = payload.variables ?? {};
    const operationName = payload.operationName ?? null;
    const signed = signSubscription(this.options.gatewaySecret, identity, { query: payload.query, variables, operationName });
    return this.client(target).subscribe(
      { query: payload.query, variables, operationName, extensions: { [SUBSCRIPTION_IDENTITY_EXTENSION]: signed } },
      {
        next: (result) => sink.next(result as FormattedExecutionResult),
        error: (error: unknown) => {
          if (Array.isArray(error)) return sink.errors(error as GraphQLFormattedError[]);
          const reason = describeFailure(error);
          this.options.logger.warn({ url: target, reason }, 'subgraph subscription failed');
          this.options.onUnavailable?.(url, reason);
          sink.unavailable(reason, this.acknowledged.get(target) !== true);
        },
        complete: () => sink.complete(),
      },
    );
  }

  /** Closes every subgraph connection (their subscriptions end with `unavailable`). */
  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    this.acknowledged.clear();
    await Promise.all(clients.map((client) => client.dispose()));
  }
}

function describeFailure(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && 'reason' in error) {
    const { code, reason } = error as { code: number; reason: string };
    return `closed (${code}${reason ? ` ${reason}` : ''})`;
  }
  if (error instanceof Error) return error.message;
  const inner = (error as { error?: { message?: string }; message?: string } | undefined);
  return inner?.error?.message ?? inner?.message ?? 'connection failed';
}
