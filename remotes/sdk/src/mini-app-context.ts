import { CapabilityError, type Capability } from './capabilities.js';
import type { AnyPendingIntent, IntentHandler, IntentMap, IntentRouter, IntentType } from './intents.js';
import type { MiniAppEntry } from './registry.js';
import { SDK_VERSION } from './version.js';

/** The signed-in user as every mini-app sees them. */
export interface SessionUser {
  id: string;
  handle: string;
  displayName: string;
  avatarUrl: string | null;
}

export interface SessionApi {
  /** Null while nobody is signed in (the shell shows its sign-in then, not the mini-apps). */
  readonly user: SessionUser | null;
  signOut(): Promise<void>;
  /** @returns stops listening */
  subscribe(listener: () => void): () => void;
}

export type ConnectivityStatus = 'online' | 'offline' | 'reconnecting';

export interface ConnectivityApi {
  readonly status: ConnectivityStatus;
  /** Actions taken offline that wait to be sent. */
  readonly pendingActions: number;
  /** @returns stops listening */
  subscribe(listener: () => void): () => void;
}

export interface NavigationApi {
  /** The shell's current path, e.g. `/chat/c/123`. */
  readonly path: string;
  /** Goes to a path of the shell: a mini-app's own (`/chat/...`) or another one's. */
  navigate(path: string): void;
  /**
   * Called after each change of `path` (navigate, back, forward).
   * @returns stops listening
   */
  subscribe(listener: () => void): () => void;
}

export interface Notification {
  kind: 'info' | 'success' | 'error';
  message: string;
}

export interface NotificationsApi {
  notify(notification: Notification): void;
}

/** What the shell provides; each mini-app gets a view of it limited to the capabilities it requested. */
export interface ShellServices<TClient> {
  session: SessionApi;
  /** The shell's one GraphQL client (an ApolloClient in the web shell). */
  graphql: TClient;
  navigation: NavigationApi;
  notifications: NotificationsApi;
  connectivity: ConnectivityApi;
  intents: IntentRouter;
}

/** What one mini-app may use of the shell. Reading a member whose capability was not requested throws {@link CapabilityError}. */
export interface MiniAppContext<TClient> {
  readonly app: Pick<MiniAppEntry, 'id' | 'title' | 'route'>;
  /** The SDK version the shell provides. */
  readonly sdkVersion: string;
  readonly session: SessionApi;
  readonly graphql: TClient;
  readonly navigation: NavigationApi;
  readonly notifications: NotificationsApi;
  readonly connectivity: ConnectivityApi;
  readonly intents: {
    dispatch<K extends IntentType>(type: K, request: IntentMap[K]['request']): Promise<IntentMap[K]['result']>;
    /** @returns removes the handler */
    handle<K extends IntentType>(type: K, handler: IntentHandler<K>): () => void;
  };
}

/**
 * The shell's side: the context it hands to the mini-app `app`, each member behind the capability
 * the registry entry requested.
 */
export function createMiniAppContext<TClient>(app: MiniAppEntry, services: ShellServices<TClient>): MiniAppContext<TClient> {
  const granted = new Set<Capability>(app.capabilities);
  const gate = <T>(capability: Capability, value: T): T => {
    if (!granted.has(capability)) throw new CapabilityError(app.id, capability);
    return value;
  };
  return {
    app: { id: app.id, title: app.title, route: app.route },
    sdkVersion: SDK_VERSION,
    get session() {
      return gate('session', services.session);
    },
    get graphql() {
      return gate('graphql', services.graphql);
    },
    get navigation() {
      return gate('navigation', services.navigation);
    },
    get notifications() {
      return gate('notifications', services.notifications);
    },
    get connectivity() {
      return gate('connectivity', services.connectivity);
    },
    intents: {
      dispatch: async (type, request) => gate('intents', services.intents).dispatch(app.id, type, request),
      handle: (type, handler) => services.intents.handle(app.id, type, handler),
    },
  };
}

/** The props the shell renders a mini-app's root component (`./App`) with. */
export interface MiniAppProps<TClient = unknown> {
  context: MiniAppContext<TClient>;
  /**
   * Set when the shell shows the mini-app to answer an intent another mini-app dispatched (one its
   * registry entry lists under `handles`): in a dialog for `share-product` and `pick-media`, in the
   * main slot for `open-conversation`. The app shows what the intent needs and resolves or cancels it.
   */
  intent?: AnyPendingIntent;
}
