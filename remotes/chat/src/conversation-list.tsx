import { useQuery } from '@apollo/client/react';
import { CHAT_CONVERSATIONS } from './operations';
import { conversationName } from './names';

export interface ConversationListProps {
  viewerId: string | undefined;
  /** The open conversation, marked as the current one. */
  selectedId?: string | undefined;
  /** Called with a conversation's id when the user picks it. */
  onSelect: (conversationId: string) => void;
  /** The link of a conversation (for opening it in a new tab, and for assistive technology). */
  hrefOf?: (conversationId: string) => string;
  label?: string;
}

/** The signed-in user's conversations, latest activity first, with unread counts and the last message. */
export function ConversationList({ viewerId, selectedId, onSelect, hrefOf, label = 'Conversations' }: ConversationListProps) {
  // The list as saved (a reload, offline) at once, then as the server has it: conversations started meanwhile appear.
  const { data, error, loading } = useQuery(CHAT_CONVERSATIONS, { fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' });
  if (loading && !data) return <p className="chat-placeholder" aria-busy="true">Loading conversations…</p>;
  if (error && !data) return <p role="alert">Conversations could not be loaded: {error.message}</p>;
  // Latest activity first, also as live messages come in (the server's order is the one at load).
  const edges = [...(data?.conversations?.edges ?? [])].sort((a, b) => (b.node.lastMessage?.sentAt ?? '').localeCompare(a.node.lastMessage?.sentAt ?? ''));
  if (edges.length === 0) return <p className="chat-placeholder">No conversations yet.</p>;
  return (
    <ul aria-label={label} className="chat-conversations">
      {edges.map(({ node }) => (
        <li key={node.id}>
          <a
            href={hrefOf?.(node.id) ?? '#'}
            aria-current={node.id === selectedId ? 'true' : undefined}
            onClick={(event) => {
              event.preventDefault();
              onSelect(node.id);
            }}
          >
            <strong className="chat-conversation-name">{conversationName(node, viewerId)}</strong>
            {node.unreadCount > 0 && (
              <span className="chat-unread" aria-label={`${node.unreadCount} unread`}>
                {node.unreadCount}
              </span>
            )}
            {node.lastMessage && (
              <span className="chat-last-message">
                {node.lastMessage.sender?.displayName ?? 'Someone'}: {node.lastMessage.body || 'Attachment'}
              </span>
            )}
          </a>
        </li>
      ))}
    </ul>
  );
}
