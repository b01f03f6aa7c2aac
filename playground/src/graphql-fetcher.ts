import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { createClient, type Client } from 'graphql-ws';
import { GRAPHQL_URL, GRAPHQL_WS_URL } from './playground-config';

/** GraphiQL's fetcher for one signed-in user (or none), and the WebSocket it opened. */
export interface PlaygroundFetcher {
  fetcher: Fetcher;
  /** Closes the WebSocket (on sign-in, sign-out, leaving the page). */
  dispose(): void;
}

/**
 * Queries and mutations over HTTP POST to /graphql, subscriptions over graphql-ws at the same
 * URL (ws:, or wss: under https), both with `accessToken` when given: the `Authorization`
 * header, and `{ authorization: 'Bearer …' }` in the WebSocket's `connectionParams` (as the shell sends it).
 * Headers typed into GraphiQL's headers editor go over HTTP too, and win.
 */
export function createPlaygroundFetcher(accessToken: string | undefined): PlaygroundFetcher {
  const authorization = accessToken ? `Bearer ${accessToken}` : undefined;
  const wsClient: Client = createClient({
    url: GRAPHQL_WS_URL,
    lazy: true,
    connectionParams: () => (authorization ? { authorization } : {}),
    retryAttempts: 3,
  });
  const fetcher = createGraphiQLFetcher({
    url: GRAPHQL_URL,
    wsClient,
    enableIncrementalDelivery: false,
    ...(authorization ? { headers: { authorization } } : {}),
  });
  return { fetcher, dispose: () => void wsClient.dispose() };
}
