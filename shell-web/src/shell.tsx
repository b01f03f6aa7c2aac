import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { ApolloProvider } from '@apollo/client/react';
import type { ApolloClient } from '@apollo/client';
import {
  createIntentRouter,
  createMiniAppContext,
  INTENT_PRESENTATION,
  SdkError,
  SdkErrorCode,
  type AnyPendingIntent,
  type MiniAppContext,
  type MiniAppEntry,
  type Notification,
  type ShellServices,
} from '@mega/mini-app-sdk';
import { Connectivity } from './connectivity';
import { ConnectionStatus } from './connection-status';
import { createGraphQLClient } from './graphql-client';
import { IntentDialog } from './intent-dialog';
import { MiniAppSlot } from './mini-app-slot';
import { Navigation } from './navigation';
import { loadRegistry, type LoadedRegistry } from './registry';
import type { RuntimeConfig } from './runtime-config';
import { Session } from './session';
import { SignIn } from './sign-in';

/** An intent being answered by the mini-app that handles it. */
interface OpenIntent {
  app: MiniAppEntry;
  intent: AnyPendingIntent;
}

/** The shell: navigation between mini-apps, one slot for the current one, the services they share. */
export function Shell({ config }: { config: RuntimeConfig }) {
  const navigation = useMemo(() => new Navigation(), []);
  const path = useSyncExternalStore(
    (listener) => navigation.subscribe(listener),
    () => navigation.path,
  );
  const [registry, setRegistry] = useState<LoadedRegistry | { error: string } | null>(null);
  const [notifications, setNotifications] = useState<(Notification & { id: number })[]>([]);
  const [dialogIntent, setDialogIntent] = useState<OpenIntent | null>(null);
  const [pageIntent, setPageIntent] = useState<OpenIntent | null>(null);
  const session = useMemo(() => new Session(config.gatewayUrl), [config.gatewayUrl]);
  const connectivity = useMemo(() => new Connectivity(), []);
  const user = useSyncExternalStore(
    (listener) => session.subscribe(listener),
    () => session.user,
  );
  const [resumed, setResumed] = useState(false);
  useEffect(() => {
    void session.resume().finally(() => setResumed(true));
  }, [session]);
  // The one GraphQL client of the shell and every mini-app; each request carries the user's token.
  const { client, ws } = useMemo(
    () => createGraphQLClient({ gatewayUrl: config.gatewayUrl, accessToken: () => session.accessToken(), connectivity, devtools: config.apolloDevtools }),
    [config.gatewayUrl, config.apolloDevtools, session, connectivity],
  );
  // Nothing of one user's data stays in the cache or on the socket for the next one.
  useEffect(() => {
    let userId = session.user?.id;
    return session.subscribe(() => {
      if (session.user?.id === userId) return;
      userId = session.user?.id;
      ws.terminate();
      void client.clearStore();
    });
  }, [session, client, ws]);

  useEffect(() => {
    loadRegistry(config.registryUrl).then(setRegistry, (error: unknown) => setRegistry({ error: error instanceof Error ? error.message : String(error) }));
  }, [config.registryUrl]);

  const services = useMemo<ShellServices<ApolloClient> | null>(() => {
    if (!registry || 'error' in registry) return null;
    const byId = new Map(registry.apps.map((app) => [app.id, app]));
    let nextNotification = 0;
    return {
      session,
      graphql: client,
      navigation,
      notifications: { notify: (notification) => setNotifications((list) => [...list.slice(-4), { ...notification, id: nextNotification++ }]) },
      connectivity,
      intents: createIntentRouter((id) => byId.get(id)?.handles ?? []),
    };
  }, [registry, client, session, navigation, connectivity]);

  // The registry names who handles each intent: the shell shows that mini-app in a dialog or on its page.
  useEffect(() => {
    if (!services || !registry || 'error' in registry) return;
    const stops = registry.apps.flatMap((app) =>
      app.handles.map((type) =>
        services.intents.handle(app.id, type, (request, from) =>
          new Promise((resolve, reject) => {
            const open: OpenIntent = { app, intent: undefined as never };
            const close = () => (INTENT_PRESENTATION[type] === 'dialog' ? setDialogIntent : setPageIntent)((current) => (current === open ? null : current));
            open.intent = {
              type,
              request,
              from,
              resolve: (result: never) => {
                close();
                resolve(result);
              },
              cancel: () => {
                close();
                reject(new SdkError(SdkErrorCode.INTENT_CANCELLED, `${app.title} was closed before it answered.`));
              },
            } as AnyPendingIntent;
            if (INTENT_PRESENTATION[type] === 'dialog') {
              setDialogIntent(open);
            } else {
              setPageIntent(open);
              navigation.navigate(app.route);
            }
          }),
        ),
      ),
    );
    return () => stops.forEach((stop) => stop());
  }, [services, registry, navigation]);

  const contexts = useMemo(() => {
    const map = new Map<string, MiniAppContext<ApolloClient>>();
    if (services && registry && !('error' in registry)) for (const app of registry.apps) map.set(app.id, createMiniAppContext(app, services));
    return map;
  }, [services, registry]);

  if (!resumed) return <p className="shell-loading" aria-busy="true">Loading…</p>;
  if (!user) return <SignIn session={session} />;
  if (!registry) return <p className="shell-loading" aria-busy="true">Loading…</p>;
  if ('error' in registry) return <p role="alert">{registry.error}</p>;
  const current: MiniAppEntry | undefined = registry.apps.find((app) => path === app.route || path.startsWith(`${app.route}/`));

  return (
    <ApolloProvider client={client}>
      <div className="shell">
        <header className="shell-header">
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <strong className="brand">Mega App</strong>
          <ConnectionStatus connectivity={connectivity} />
          <span className="user">{user.displayName}</span>
          <button type="button" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </header>
        <nav aria-label="Mini-apps" className="shell-nav">
          <ul>
            {registry.apps.map((app) => (
              <li key={app.id}>
                <a
                  href={app.route}
                  aria-current={current?.id === app.id ? 'page' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    navigation.navigate(app.route);
                  }}
                >
                  <span aria-hidden="true">{app.icon}</span> {app.title}
                </a>
              </li>
            ))}
          </ul>
          {registry.refused.length > 0 && (
            <ul aria-label="Unavailable mini-apps" className="refused">
              {registry.refused.map(({ app, message }) => (
                <li key={app.id}>
                  <span aria-hidden="true">{app.icon}</span> {app.title}: {message}
                </li>
              ))}
            </ul>
          )}
        </nav>
        <main id="main" className="shell-main" tabIndex={-1}>
          {current ? (
            <MiniAppSlot key={current.id} app={current} context={contexts.get(current.id)!} intent={pageIntent?.app.id === current.id ? pageIntent.intent : undefined} />
          ) : (
            <p>Choose a mini-app.</p>
          )}
        </main>
        <section aria-label="Notifications" aria-live="polite" className="notifications">
          {notifications.map((notification) => (
            <p key={notification.id} className={`notification ${notification.kind}`}>
              {notification.message}
              <button type="button" aria-label="Dismiss" onClick={() => setNotifications((list) => list.filter((other) => other !== notification))}>
                ×
              </button>
            </p>
          ))}
        </section>
        {dialogIntent && <IntentDialog app={dialogIntent.app} context={contexts.get(dialogIntent.app.id)!} intent={dialogIntent.intent} />}
      </div>
    </ApolloProvider>
  );
}
