import { InMemoryCache, type ApolloCache, type Reference } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { ChatMessageFragmentDoc, type ChatMessageFragment } from './gql/graphql';

const withPolicies = new WeakSet<ApolloCache>();

/**
 * The chat's fields in the shell's one cache: a conversation's messages are one list, pages back
 * into history prepended (`before`), live messages appended. The cache is shared by every
 * mini-app; these policies cover only comms' own `Conversation.messages`.
 */
export function addChatTypePolicies(cache: ApolloCache): void {
  if (!(cache instanceof InMemoryCache) || withPolicies.has(cache)) return;
  withPolicies.add(cache);
  cache.policies.addTypePolicies({ Conversation: { fields: { messages: relayStylePagination() } } });
}

interface StoredEdge {
  __typename?: string;
  cursor: string;
  node: Reference;
}

/**
 * Puts a message (live, just sent, or replayed after a reconnect) into its conversation: once,
 * in seq order, and as the conversation's last message when it is the newest.
 * @param countUnread adds it to the unread count (someone else's message in a conversation not open)
 */
export function addMessageToCache(cache: ApolloCache, conversationId: string, message: ChatMessageFragment, { countUnread = false } = {}): void {
  const node = cache.writeFragment({
    fragment: ChatMessageFragmentDoc,
    fragmentName: 'ChatMessage',
    data: message,
  });
  if (!node) return;
  const conversation = cache.identify({ __typename: 'Conversation', id: conversationId });
  let newest = false;
  cache.modify({
    id: conversation,
    fields: {
      messages(value, { readField }) {
        const existing = value as { edges: StoredEdge[] } | undefined;
        if (!existing || existing.edges.some((edge) => readField('id', edge.node) === message.id)) return existing;
        const edges = [...existing.edges, { __typename: 'MessageEdge', cursor: '', node }];
        edges.sort((a, b) => (readField<number>('seq', a.node) ?? 0) - (readField<number>('seq', b.node) ?? 0));
        return { ...existing, edges } as typeof value;
      },
      lastMessage(existing: Reference | null, { readField }) {
        const latest = existing ? (readField<number>('seq', existing) ?? 0) : 0;
        newest = message.seq > latest;
        return newest ? node : existing;
      },
    },
  });
  if (newest && countUnread) cache.modify({ id: conversation, fields: { unreadCount: (count: number) => count + 1 } });
}
