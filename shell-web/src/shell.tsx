import { useEffect, useMemo, useState } from 'react';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { createIntentRouter, createMiniAppContext, type MiniAppEntry, type Notification, type ShellServices } from '@mega/mini-app-sdk';
import { MiniAppSlot } from './mini-app-slot';
import { loadRegistry, type LoadedRegistry } from './registry';
import type { RuntimeConfig } from './runtime-config';

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
  const client = useMemo(() => new ApolloClient({ link: new HttpLink({ uri: config.gatewayUrl }), cache: new InMemoryCache() }), [config.gatewayUrl]);

  useEffect(() => {
    loadRegistry(config.registryUrl).then(setRegistry, (error: unknown) => setRegistry({ error: error instanceof Error ? error.message : String(error) }));
  }, [config.registryUrl]);

  const services = useMemo<ShellServices<ApolloClient> | null>(() => {
    if (!registry || 'error' in registry) return null;
    const byId = new Map(registry.apps.map((app) => [app.id, app]));
    return {
      session: { user: null, signOut: async () => undefined, subscribe: () => () => undefined },
      graphql: client,
      navigation: { path: window.location.pathname, navigate },
      notifications: { notify: (notification) => setNotifications((list) => [...list.slice(-4), notification]) },
      connectivity: { status: navigator.onLine ? 'online' : 'offline', pendingActions: 0, subscribe: () => () => undefined },
      intents: createIntentRouter((id) => byId.get(id)?.handles ?? []),
    };
  }, [registry, client]); // navigate only pushes history and sets state: the services are made once per registry

  const contexts = useMemo(() => {
    const map = new Map<string, ReturnType<typeof createMiniAppContext<ApolloClient>>>();
    if (services && registry && !('error' in registry)) for (const app of registry.apps) map.set(app.id, createMiniAppContext(app, services));
    return map;
  }, [services, registry]);

  if (!registry) return <p aria-busy="true">Loading…</p>;
  if ('error' in registry) return <p role="alert">{registry.error}</p>;
  const current: MiniAppEntry | undefined = registry.apps.find((app) => path === app.route || path.startsWith(`${app.route}/`));

  return (
    <div className="shell">
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
      <main>{current ? <MiniAppSlot key={current.id} app={current} context={contexts.get(current.id)!} /> : <p>Choose a mini-app.</p>}</main>
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
