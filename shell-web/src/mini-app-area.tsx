import { use, useEffect, useMemo, useState } from 'react';
import type { ApolloClient } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import {
  createIntentRouter,
  createMiniAppContext,
  INTENT_PRESENTATION,
  SdkError,
  SdkErrorCode,
  type AnyPendingIntent,
  type MiniAppContext,
  type MiniAppEntry,
  type NotificationsApi,
} from '@mega/mini-app-sdk';
import { createCachePersistor, type CachePersistor } from './cache-persistor';
import type { Connectivity } from './connectivity';
import { createGraphQLClient } from './graphql-client';
import { IntentDialog } from './intent-dialog';
import { MiniAppSlot } from './mini-app-slot';
import { OutboxPanel } from './outbox-panel';
import type { Navigation } from './navigation';
import type { LoadedRegistry } from './registry';
import type { RuntimeConfig } from './runtime-config';
import type { Session } from './session';

/** An intent being answered by the mini-app that handles it. */
interface OpenIntent {
  app: MiniAppEntry;
  intent: AnyPendingIntent;
}

/** The one GraphQL client, made on first use and kept for the page (the shell itself queries nothing). */
let shared: { key: string; made: ReturnType<typeof createGraphQLClient>; persistor: CachePersistor } | undefined;
function graphQLClientFor(config: RuntimeConfig, session: Session, connectivity: Connectivity) {
  const key = `${config.gatewayUrl} ${config.apolloDevtools}`;
  if (shared?.key !== key) {
    shared?.persistor.stop();
    const made = createGraphQLClient({ gatewayUrl: config.gatewayUrl, accessToken: () => session.accessToken(), connectivity, devtools: config.apolloDevtools, session });
    // Nothing of one user's data stays in the cache or on the socket for the next one.
    let userId = session.user?.id;
    const { client, ws } = made;
    session.subscribe(() => {
      if (session.user?.id === userId) return;
      userId = session.user?.id;
      ws.terminate();
      void client.clearStore();
    });
    // The same user's profile changed (the shell's profile page): shown at once wherever mini-apps show it.
    let shown = session.user;
    session.subscribe(() => {
      const user = session.user;
      if (user && user.id === shown?.id && (user.displayName !== shown.displayName || user.avatarUrl !== shown.avatarUrl || user.handle !== shown.handle)) {
        client.cache.modify({ id: client.cache.identify({ __typename: 'User', id: user.id }), fields: { handle: () => user.handle, displayName: () => user.displayName, avatarUrl: () => user.avatarUrl } });
      }
      shown = user;
    });
    // The cache is kept in IndexedDB per user, for a start without the network (cache-persistor.ts);
    // subscribed after the clearing above, so that the next user's saved cache is restored after it.
    shared = { key, made, persistor: createCachePersistor(client.cache, session) };
  }
  return shared;
}

export interface MiniAppAreaProps {
  config: RuntimeConfig;
  registry: LoadedRegistry;
  current: MiniAppEntry;
  session: Session;
  navigation: Navigation;
  connectivity: Connectivity;
  notifications: NotificationsApi;
}

/**
 * Where mini-apps run: the one GraphQL client (Apollo Client, its cache, the WebSocket), the
 * services each mini-app gets through its context, intents, and the current mini-app's slot.
 * Loaded with the first mini-app, so that the shell's own first paint carries none of it.
 */
export default function MiniAppArea({ config, registry, current, session, navigation, connectivity, notifications }: MiniAppAreaProps) {
  const { made: { client, outbox }, persistor } = graphQLClientFor(config, session, connectivity);
  // No mini-app renders (and queries) before the signed-in user's saved cache is back.
  use(persistor.restored());
  const [dialogIntent, setDialogIntent] = useState<OpenIntent | null>(null);
  const [pageIntent, setPageIntent] = useState<OpenIntent | null>(null);

  const intents = useMemo(() => {
    const byId = new Map(registry.apps.map((app) => [app.id, app]));
    return createIntentRouter((id) => byId.get(id)?.handles ?? []);
  }, [registry]);

  // The registry names who handles each intent: the shell shows that mini-app in a dialog or on its page.
  useEffect(() => {
    const stops = registry.apps.flatMap((app) =>
      app.handles.map((type) =>
        intents.handle(app.id, type, (request, from) =>
          new Promise((resolve, reject) => {
            const open: OpenIntent = { app, intent: undefined as never };
            const close = () => (INTENT_PRESENTATION[type] === 'dialog' ? setDialogIntent : setPageIntent)((shown) => (shown === open ? null : shown));
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
  }, [registry, intents, navigation]);

  const contexts = useMemo(() => {
    const services = { session, graphql: client, navigation, notifications, connectivity, intents };
    return new Map<string, MiniAppContext<ApolloClient>>(registry.apps.map((app) => [app.id, createMiniAppContext(app, services)]));
  }, [registry, client, session, navigation, notifications, connectivity, intents]);

  return (
    <ApolloProvider client={client}>
      <OutboxPanel outbox={outbox} />
      <MiniAppSlot key={current.id} app={current} context={contexts.get(current.id)!} intent={pageIntent?.app.id === current.id ? pageIntent.intent : undefined} />
      {dialogIntent && <IntentDialog app={dialogIntent.app} context={contexts.get(dialogIntent.app.id)!} intent={dialogIntent.intent} />}
    </ApolloProvider>
  );
}
