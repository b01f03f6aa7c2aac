import { Component, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { ApolloProvider } from '@apollo/client/react';
import type { ApolloClient } from '@apollo/client';
import { createIntentRouter, createMiniAppContext, miniAppEntrySchema, type Notification, type ShellServices } from '@mega/mini-app-sdk';
import { ConnectionStatus } from '@mega/shell-web/connection-status';
import { Connectivity } from '@mega/shell-web/connectivity';
import { createGraphQLClient } from '@mega/shell-web/graphql-client';
import { Navigation } from '@mega/shell-web/navigation';
import { Session } from '@mega/shell-web/session';
import { SignIn } from '@mega/shell-web/sign-in';
import App, { gatewayTarget, miniApp } from 'virtual:mini-app-dev-host/app';

/** The dev server forwards `/graphql` (HTTP and WebSocket) to the gateway: same origin, no CORS. */
const GATEWAY_URL = new URL('/graphql', window.location.href).href;

/** The registry entry the mini-app would have, served from here; checked like the shell checks it. */
const entry = miniAppEntrySchema.parse({ ...miniApp, manifestUrl: new URL('/mf-manifest.json', window.location.href).href });

class AppBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert">
        <p>{entry.title} failed: {this.state.error.message}</p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Retry
        </button>
      </div>
    );
  }
}

/**
 * The mini-app alone, as the shell would run it: the shell's own sign-in, session, GraphQL client
 * (HTTP with persisted documents, graphql-ws for subscriptions), navigation and connectivity, and
 * a `MiniAppContext` made by the SDK from the mini-app's `miniApp` field. Intents it dispatches
 * find no handler here (`NO_INTENT_HANDLER`): the other mini-apps are not loaded.
 */
export function DevHost() {
  const session = useMemo(() => new Session(GATEWAY_URL), []);
  const navigation = useMemo(() => new Navigation(), []);
  const connectivity = useMemo(() => new Connectivity(), []);
  const user = useSyncExternalStore(
    (listener) => session.subscribe(listener),
    () => session.user,
  );
  const [resumed, setResumed] = useState(false);
  const [notifications, setNotifications] = useState<(Notification & { id: number })[]>([]);
  useEffect(() => {
    void session.resume().finally(() => setResumed(true));
  }, [session]);
  useEffect(() => {
    if (navigation.path !== entry.route && !navigation.path.startsWith(`${entry.route}/`)) navigation.navigate(entry.route);
  }, [navigation]);
  const { client, ws } = useMemo(() => createGraphQLClient({ gatewayUrl: GATEWAY_URL, accessToken: () => session.accessToken(), connectivity }), [session, connectivity]);
  useEffect(() => {
    let userId = session.user?.id;
    return session.subscribe(() => {
      if (session.user?.id === userId) return;
      userId = session.user?.id;
      ws.terminate();
      void client.clearStore();
    });
  }, [session, client, ws]);
  const context = useMemo(() => {
    let nextNotification = 0;
    const services: ShellServices<ApolloClient> = {
      session,
      graphql: client,
      navigation,
      notifications: { notify: (notification) => setNotifications((list) => [...list.slice(-4), { ...notification, id: nextNotification++ }]) },
      connectivity,
      intents: createIntentRouter((id) => (id === entry.id ? entry.handles : [])),
    };
    return createMiniAppContext(entry, services);
  }, [session, client, navigation, connectivity]);

  if (!resumed) return <p aria-busy="true">Loading…</p>;
  if (!user) {
    return (
      <>
        <SignIn session={session} />
        <p className="dev-host-hint">
          Dev host of {entry.title}, against {gatewayTarget}. Sign in with a demo login that <code>pnpm start</code> prints, e.g. alice@demo.mega.app / alice-demo-pass.
        </p>
      </>
    );
  }
  return (
    <ApolloProvider client={client}>
      <header className="dev-host-header">
        <strong>
          <span aria-hidden="true">{entry.icon}</span> {entry.title} (dev host)
        </strong>
        <ConnectionStatus connectivity={connectivity} />
        <span>{user.displayName}</span>
        <button type="button" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </header>
      <main>
        <AppBoundary>
          <App context={context} />
        </AppBoundary>
      </main>
      <section aria-label="Notifications" aria-live="polite">
        {notifications.map((notification) => (
          <p key={notification.id} className={`notification ${notification.kind}`}>
            {notification.message}
          </p>
        ))}
      </section>
    </ApolloProvider>
  );
}
