import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache, ServerError, type ErrorLike } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { RetryLink } from '@apollo/client/link/retry';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { print, type DocumentNode, type FormattedExecutionResult } from 'graphql';
import { createClient, type Client as WsClient, type Sink, type SubscribePayload } from 'graphql-ws';
import { catchError } from 'rxjs';
import type { Connectivity } from './connectivity';
import { clientMutationIdOf, createOutboxLink, type Outbox } from './outbox';

/** The longest wait between two attempts to reconnect the WebSocket. */
export const MAX_RECONNECT_WAIT_MS = 30_000;

export interface GraphQLClientOptions {
  /** The gateway's `/graphql` (http or https; the WebSocket uses the same URL with ws or wss). */
  gatewayUrl: string;
  /** A valid access token for the signed-in user, refreshed as needed; null when anonymous. */
  accessToken: () => Promise<string | null>;
  /** Told when the WebSocket connects, drops and reconnects. */
  connectivity: Connectivity;
  /** Registers the client for the Apollo Client Devtools. @default false */
  devtools?: boolean;
  /** Whose outbox (kept per user, wiped on sign-out); without it the outbox holds items for the page only. */
  session?: { readonly user: { id: string } | null; subscribe(listener: () => void): () => void };
}

/**
 * Jittered exponential backoff: about 1 s, 2 s, 4 s ... up to {@link MAX_RECONNECT_WAIT_MS}, each
 * between half and all of it, so that clients cut off together do not come back together.
 */
export function reconnectWaitMs(retries: number, random = Math.random): number {
  const ceiling = Math.min(MAX_RECONNECT_WAIT_MS, 1000 * 2 ** retries);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * An HTTP request to the gateway unanswered by then fails as a network error (RetryLink and the
 * outbox try again; a mutation carries its clientMutationId, so a late first answer does no harm):
 * on a network that looks connected but carries nothing, a request would otherwise wait for ever.
 */
export const HTTP_TIMEOUT_MS = 30_000;

/** `signal` (Apollo's, which cancels an unsubscribed request) together with a timeout of `ms`. */
function withTimeout(signal: AbortSignal | null | undefined, ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  if (!signal) return timeout;
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([signal, timeout]);
  // Browsers before AbortSignal.any (Safari < 17.4): the first of the two aborts one controller.
  const either = new AbortController();
  for (const each of [signal, timeout]) each.addEventListener('abort', () => either.abort(each.reason), { once: true });
  if (signal.aborted) either.abort(signal.reason);
  return either.signal;
}

/** How many times an idempotent HTTP operation is tried in all before its network error reaches the caller. */
export const HTTP_ATTEMPTS = 4;

/**
 * Whether an HTTP operation that failed on the network may simply be sent again: queries, and
 * mutations that carry a clientMutationId (the subgraphs return the first result again for it, so
 * a resend never repeats the effect), unless the outbox already owns their retries. Only a missing
 * answer, a 5xx, 408 or 429 is worth another try; any other 4xx would come back the same.
 * (GraphQL errors in an answer never reach RetryLink: they are results, not failures.)
 */
export function retryableOverHttp(error: ErrorLike, operation: ApolloLink.Operation): boolean {
  if (ServerError.is(error) && error.statusCode < 500 && error.statusCode !== 408 && error.statusCode !== 429) return false;
  const definition = getMainDefinition(operation.query);
  if (definition.kind !== 'OperationDefinition') return false;
  if (definition.operation === 'query') return true;
  return definition.operation === 'mutation' && !(operation.getContext() as { outbox?: unknown }).outbox && clientMutationIdOf(operation.variables) !== undefined;
}

/** HTTP statuses by which the way to the gateway, not the gateway, answers: the app is as good as offline. */
const GATEWAY_UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

/** The id GraphQL Code Generator gave a document (`sha256:<hex>`), under which the gateway knows it. */
function persistedHash(document: DocumentNode): string | undefined {
  return (document as { __meta__?: { hash?: string } }).__meta__?.hash;
}

/**
 * Subscriptions by persisted id: a document with a hash names it in `extensions.persistedQuery`
 * (GraphQLWsLink passes `extensions` on, and {@link withoutPersistedText} leaves the text out);
 * when the gateway does not know the id (PERSISTED_QUERY_NOT_FOUND, in development) the
 * subscription is sent again with its text instead.
 */
const persistedSubscriptionLink = new ApolloLink((operation, forward) => {
  const sha256Hash = persistedHash(operation.query);
  if (!sha256Hash) return forward(operation);
  operation.extensions.persistedQuery = { version: 1, sha256Hash };
  return forward(operation).pipe(
    catchError((error: unknown) => {
      if (!CombinedGraphQLErrors.is(error) || !error.errors.some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND')) throw error;
      delete operation.extensions.persistedQuery;
      return forward(operation);
    }),
  );
});

/** The graphql-ws client for GraphQLWsLink: an operation that names its persisted document goes without its text (`query: ''`: graphql-ws requires a string). */
const withoutPersistedText = (ws: WsClient): WsClient => ({
  ...ws,
  subscribe: (payload, sink) => ws.subscribe(payload.extensions?.persistedQuery ? { ...payload, query: '' } : payload, sink),
});

const hexOf = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * The one GraphQL client of the shell and every mini-app: queries and mutations over HTTP by their
 * persisted id (the text only when the gateway does not know the id, in development), idempotent
 * ones retried after a network failure ({@link retryableOverHttp}),
 * subscriptions over one graphql-ws connection that reconnects for ever with a fresh token (by
 * persisted id too), and one normalized cache.
 */
export function createGraphQLClient({ gatewayUrl, accessToken, connectivity, devtools = false, session }: GraphQLClientOptions): { client: ApolloClient; ws: WsClient; outbox: Outbox } {
  const authorizedFetch: typeof fetch = async (input, init) => {
    const token = await accessToken();
    const headers = new Headers(init?.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    try {
      const response = await fetch(input, { ...init, headers, signal: withTimeout(init?.signal, HTTP_TIMEOUT_MS) });
      // 502/504: a proxy in front could not reach the gateway; 503: it is starting or stopping. Neither is a gateway that serves.
      if (GATEWAY_UNAVAILABLE_STATUSES.has(response.status)) connectivity.gatewayUnreachable();
      else connectivity.gatewayAnswered();
      return response;
    } catch (error) {
      connectivity.gatewayUnreachable();
      throw error;
    }
  };
  const http = ApolloLink.from([
    // Idempotent operations ride out a dropped answer or a restarting gateway: about 0.5, 1, 2 s, jittered.
    new RetryLink({ delay: { initial: 500, max: 4000, jitter: true }, attempts: { max: HTTP_ATTEMPTS, retryIf: retryableOverHttp } }),
    new PersistedQueryLink({
      generateHash: async (document) => persistedHash(document) ?? hexOf(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(print(document)))),
    }),
    new HttpLink({ uri: gatewayUrl, fetch: authorizedFetch }),
  ]);
  /** The WebSocket closed other than normally (and has not connected again since). */
  let dropped = false;
  let refetchActiveQueries = async (): Promise<unknown> => undefined;
  const ws = createClient({
    url: gatewayUrl.replace(/^http/, 'ws'),
    connectionParams: async () => {
      const token = await accessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    lazy: true,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, reconnectWaitMs(retries))),
    on: {
      connected: () => {
        connectivity.socketConnected();
        // Back after a drop: what the active queries show may have changed meanwhile (the
        // subscriptions replay only their own events), so they are asked again.
        if (dropped) void refetchActiveQueries();
        dropped = false;
      },
      closed: (event) => {
        const normal = (event as CloseEvent | undefined)?.code === 1000;
        if (!normal) dropped = true;
        connectivity.socketClosed(normal);
      },
    },
  });
  /**
   * Subscriptions live on the socket. When the last one ends while the socket is down, graphql-ws
   * (lazy) stops trying to reconnect without another `closed` event: the socket is then not
   * "reconnecting" but simply not needed, so the status must not stay at Reconnecting….
   */
  let liveSubscriptions = 0;
  const counted = (client: WsClient): WsClient => ({
    ...client,
    subscribe<Data, Extensions>(payload: SubscribePayload, sink: Sink<FormattedExecutionResult<Data, Extensions>>) {
      liveSubscriptions += 1;
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        liveSubscriptions -= 1;
        if (liveSubscriptions === 0 && dropped) connectivity.socketClosed(true);
      };
      const dispose = client.subscribe<Data, Extensions>(payload, {
        next: (value) => sink.next(value),
        error: (error) => {
          end();
          sink.error(error);
        },
        complete: () => {
          end();
          sink.complete();
        },
      });
      return () => {
        end();
        dispose();
      };
    },
  });
  const link = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    persistedSubscriptionLink.concat(new GraphQLWsLink(counted(withoutPersistedText(ws)))),
    http,
  );
  // Marked mutations (context.outbox and a clientMutationId) wait in the outbox first: kept, sent in order (outbox.ts).
  const outbox = createOutboxLink(connectivity);
  const client = new ApolloClient({ link: outbox.link.concat(link), cache: new InMemoryCache(),
    devtools: { enabled: devtools, name: 'Mega App' },
  });
  outbox.attach(client);
  refetchActiveQueries = () => client.refetchObservableQueries().catch(() => undefined);
  const userChanged = () => outbox.setUser(session?.user?.id ?? null);
  userChanged();
  session?.subscribe(userChanged);
  return { client, ws, outbox };
}
