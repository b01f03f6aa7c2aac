import { lazy, Suspense, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { MiniAppEntry, Notification, NotificationsApi } from '@mega/mini-app-sdk';
import { Connectivity } from './connectivity';
import { ConnectionStatus } from './connection-status';
import { Navigation } from './navigation';
import { loadRegistry, type LoadedRegistry } from './registry';
import type { RuntimeConfig } from './runtime-config';
import { Session } from './session';
import { SignIn } from './sign-in';

/** Apollo Client, the socket and the mini-app slots come with the first mini-app, not with the shell's first paint. */
const loadMiniAppArea = () => import('./mini-app-area');
const MiniAppArea = lazy(loadMiniAppArea);
/** The shell's own page where the signed-in user edits their profile; loaded when opened. */
const PROFILE_PATH = '/profile';
const loadProfilePage = () => import('./profile-page');
const ProfilePage = lazy(loadProfilePage);
// A page opened on a mini-app's route (or the profile) fetches its code at once, while the session and the registry load.
if (window.location.pathname === PROFILE_PATH) void loadProfilePage().catch(() => undefined);
else if (window.location.pathname !== '/') void loadMiniAppArea().catch(() => undefined);

/** The shell: navigation between mini-apps, one slot for the current one, the services they share. */
export function Shell({ config }: { config: RuntimeConfig }) {
  const navigation = useMemo(() => new Navigation(), []);
  const path = useSyncExternalStore(
    (listener) => navigation.subscribe(listener),
    () => navigation.path,
  );
  const [registry, setRegistry] = useState<LoadedRegistry | { error: string } | null>(null);
  const [notifications, setNotifications] = useState<(Notification & { id: number })[]>([]);
  const session = useMemo(() => new Session(config.gatewayUrl), [config.gatewayUrl]);
  const connectivity = useMemo(() => new Connectivity(), []);
  const user = useSyncExternalStore(
    (listener) => session.subscribe(listener),
    () => session.user,
  );
  const [resumed, setResumed] = useState(false);
  useEffect(() => {
    void session
      .resume()
      .then(() => {
        // Signed in without the gateway (an offline start): shown as offline until it answers again.
        if (!session.offline) return;
        connectivity.gatewayUnreachable();
        void session.reconnect().then((signedIn) => signedIn && connectivity.gatewayAnswered());
      })
      .finally(() => setResumed(true));
  }, [session, connectivity]);
  useEffect(() => {
    loadRegistry(config.registryUrl).then(setRegistry, (error: unknown) => setRegistry({ error: error instanceof Error ? error.message : String(error) }));
  }, [config.registryUrl]);

  const notify = useMemo<NotificationsApi>(() => {
    let next = 0;
    return { notify: (notification) => setNotifications((list) => [...list.slice(-4), { ...notification, id: next++ }]) };
  }, []);

  if (!resumed) return <p className="shell-loading" aria-busy="true">Loading…</p>;
  if (!user) return <SignIn session={session} />;
  if (!registry) return <p className="shell-loading" aria-busy="true">Loading…</p>;
  if ('error' in registry) return <p role="alert">{registry.error}</p>;
  const current: MiniAppEntry | undefined = registry.apps.find((app) => path === app.route || path.startsWith(`${app.route}/`));

  return (
    <div className="shell">
      <header className="shell-header">
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <strong className="brand">Mega App</strong>
        <ConnectionStatus connectivity={connectivity} />
        <a
          className="user"
          href={PROFILE_PATH}
          aria-label={`${user.displayName}: your profile`}
          aria-current={path === PROFILE_PATH ? 'page' : undefined}
          onClick={(event) => {
            event.preventDefault();
            navigation.navigate(PROFILE_PATH);
          }}
        >
          {user.displayName}
        </a>
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
        {path === PROFILE_PATH ? (
          <Suspense fallback={<div className="slot-loading" aria-busy="true">Loading your profile…</div>}>
            <ProfilePage session={session} />
          </Suspense>
        ) : current ? (
          <Suspense fallback={<div className="slot-loading" aria-busy="true">Loading {current.title}…</div>}>
            <MiniAppArea config={config} registry={registry} current={current} session={session} navigation={navigation} connectivity={connectivity} notifications={notify} />
          </Suspense>
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
    </div>
  );
}
