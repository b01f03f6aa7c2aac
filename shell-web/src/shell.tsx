import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { createIntentRouter, createMiniAppContext, type MiniAppEntry, type Notification, type ShellServices } from '@mega/mini-app-sdk';
import { MiniAppSlot } from './mini-app-slot';
import { loadRegistry, type LoadedRegistry } from './registry';
import type { RuntimeConfig } from './runtime-config';
import { Session } from './session';
import { SignIn } from './sign-in';

function usePath(): [string, (path: string) => void] {
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = (next: string) => {
    window.history.pushState(null, '', next);
    setPath(next);
  };
  return [path, navigate];
}

/** The shell: navigation between mini-apps, one slot for the current one, the services they share. */
export function Shell({ config }: { config: RuntimeConfig }) {
  const [path, navigate] = usePath();
  const [registry, setRegistry] = useState<LoadedRegistry | { error: string } | null>(null);
  const [notifications, setNotifications] = useState<Notification[]>([]);
  const session = useMemo(() => new Session(config.gatewayUrl), [config.gatewayUrl]);
  const user = useSyncExternalStore(
    (listener) => session.subscribe(listener),
    () => session.user,
  );
  const [resumed, setResumed] = useState(false);
  useEffect(() => {
    void session.resume().finally(() => setResumed(true));
  }, [session]);
  // The one GraphQL client of the shell and every mini-app; each request carries the user's token.
  const client = useMemo(() => {
    const authorizedFetch: typeof fetch = async (input, init) => {
      const token = await session.accessToken();
      const headers = new Headers(init?.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      return fetch(input, { ...init, headers });
    };
    return new ApolloClient({ link: new HttpLink({ uri: config.gatewayUrl, fetch: authorizedFetch }), cache: new InMemoryCache() });
  }, [config.gatewayUrl, session]);
  // Nothing of one user's data stays in the cache for the next one.
  useEffect(() => {
    let userId = session.user?.id;
    return session.subscribe(() => {
      if (session.user?.id === userId) return;
      userId = session.user?.id;
      void client.clearStore();
    });
  }, [session, client]);

  useEffect(() => {
    loadRegistry(config.registryUrl).then(setRegistry, (error: unknown) => setRegistry({ error: error instanceof Error ? error.message : String(error) }));
  }, [config.registryUrl]);

  const services = useMemo<ShellServices<ApolloClient> | null>(() => {
    if (!registry || 'error' in registry) return null;
    const byId = new Map(registry.apps.map((app) => [app.id, app]));
    return {
      session,
      graphql: client,
      navigation: { path: window.location.pathname, navigate },
      notifications: { notify: (notification) => setNotifications((list) => [...list.slice(-4), notification]) },
      connectivity: { status: navigator.onLine ? 'online' : 'offline', pendingActions: 0, subscribe: () => () => undefined },
      intents: createIntentRouter((id) => byId.get(id)?.handles ?? []),
    };
  }, [registry, client, session]); // navigate only pushes history and sets state: the services are made once per registry

  const contexts = useMemo(() => {
    const map = new Map<string, ReturnType<typeof createMiniAppContext<ApolloClient>>>();
    if (services && registry && !('error' in registry)) for (const app of registry.apps) map.set(app.id, createMiniAppContext(app, services));
    return map;
  }, [services, registry]);

  if (!resumed) return <p aria-busy="true">Loading…</p>;
  if (!user) return <SignIn session={session} />;
  if (!registry) return <p aria-busy="true">Loading…</p>;
  if ('error' in registry) return <p role="alert">{registry.error}</p>;
  const current: MiniAppEntry | undefined = registry.apps.find((app) => path === app.route || path.startsWith(`${app.route}/`));

  return (
    <div className="shell">
      <header>
        <span>{user.displayName}</span>
        <button type="button" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </header>
      <nav aria-label="Mini-apps">
        <ul>
          {registry.apps.map((app) => (
            <li key={app.id}>
              <a
                href={app.route}
                aria-current={current?.id === app.id ? 'page' : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(app.route);
                }}
              >
                <span aria-hidden="true">{app.icon}</span> {app.title}
              </a>
            </li>
          ))}
        </ul>
        {registry.refused.length > 0 && (
          <ul aria-label="Unavailable mini-apps">
            {registry.refused.map(({ app, message }) => (
              <li key={app.id} className="refused">
                <span aria-hidden="true">{app.icon}</span> {app.title}: {message}
              </li>
            ))}
          </ul>
        )}
      </nav>
      <ApolloProvider client={client}>
        <main>{current ? <MiniAppSlot key={current.id} app={current} context={contexts.get(current.id)!} /> : <p>Choose a mini-app.</p>}</main>
      </ApolloProvider>
      <section aria-label="Notifications" aria-live="polite">
        {notifications.map((notification, index) => (
          <p key={index} className={notification.kind}>
            {notification.message}
          </p>
        ))}
      </section>
    </div>
  );
}
