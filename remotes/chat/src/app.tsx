import { useEffect, useSyncExternalStore } from 'react';
import { useApolloClient } from '@apollo/client/react';
import type { MiniAppProps } from '@mega/mini-app-sdk';
import { ConversationList } from './conversation-list';
import { LiveConversations } from './live-conversations';
import { addChatTypePolicies } from './message-cache';
import { registerChatOutbox } from './outbox';
import { ShareProduct } from './share-product';
import { Thread } from './thread';
import './chat.css';

/** `/chat` lists the conversations; `/chat/c/<id>` opens one (beside the list on wide screens). */
function conversationIdOf(path: string, route: string): string | undefined {
  const match = path.slice(route.length).match(/^\/c\/([^/]+)/);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

/**
 * The chat mini-app: conversations with unread counts, a thread with history and live messages,
 * the composer. It answers `share-product` (in the shell's dialog) and `open-conversation`.
 * It queries through the shell's one client (its ApolloProvider): a mini-app never makes its own.
 */
export default function App({ context, intent }: MiniAppProps) {
  const client = useApolloClient();
  addChatTypePolicies(client.cache);
  const { navigation, app } = context;
  const path = useSyncExternalStore(
    (listener) => navigation.subscribe(listener),
    () => navigation.path,
  );

  // Messages kept in the shell's outbox (sent offline) show as "Sending…" again after a reload.
  useEffect(() => registerChatOutbox(client, () => context.session.user), [client, context]);

  useEffect(() => {
    if (intent?.type !== 'open-conversation') return;
    navigation.navigate(`${app.route}/c/${encodeURIComponent(intent.request.conversationId)}`);
    intent.resolve();
  }, [intent, navigation, app.route]);

  if (intent?.type === 'share-product') return <ShareProduct intent={intent} context={context} />;

  const openId = conversationIdOf(path, app.route);
  const viewerId = context.session.user?.id;
  return (
    <section className={`chat${openId ? ' chat-has-thread' : ''}`} aria-labelledby="chat-heading">
      <h1 id="chat-heading">{app.title}</h1>
      <LiveConversations openId={openId} viewerId={viewerId} />
      <div className="chat-layout">
        <nav className="chat-list" aria-label="Conversations">
          <ConversationList
            viewerId={viewerId}
            selectedId={openId}
            onSelect={(id) => navigation.navigate(`${app.route}/c/${encodeURIComponent(id)}`)}
            hrefOf={(id) => `${app.route}/c/${encodeURIComponent(id)}`}
          />
        </nav>
        {openId ? (
          <Thread key={openId} conversationId={openId} context={context} />
        ) : (
          <p className="chat-empty">Choose a conversation.</p>
        )}
      </div>
    </section>
  );
}
