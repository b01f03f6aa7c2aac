import { useQuery } from '@apollo/client/react';
import { graphql } from './gql';

export const CHAT_CONVERSATIONS = graphql(`
  query ChatConversations {
    me {
      id
      displayName
    }
    conversations(first: 20) {
      edges {
        node {
          id
          title
          unreadCount
          members {
            id
            displayName
          }
          lastMessage {
            id
            body
            sender {
              id
              displayName
            }
          }
        }
      }
    }
  }
`);

interface Member {
  id: string;
  displayName: string;
}

interface ConversationsData {
  me: Member | null;
  conversations: {
    edges: {
      node: { id: string; title: string | null; unreadCount: number; members: (Member | null)[]; lastMessage: { id: string; body: string; sender: Member | null } | null };
    }[];
  } | null;
}

/** A conversation's title, or the other members' names when it has none. */
function nameOf(conversation: { title: string | null; members: (Member | null)[] }, viewerId: string | undefined): string {
  if (conversation.title) return conversation.title;
  const others = conversation.members.filter((member): member is Member => member !== null && member.id !== viewerId);
  return others.map((member) => member.displayName).join(', ') || 'Just you';
}

/** The signed-in user's conversations, latest activity first, with unread counts and the last message. */
export function ConversationList() {
  const { data, error, loading } = useQuery<ConversationsData>(CHAT_CONVERSATIONS);
  if (loading && !data) return <p aria-busy="true">Loading conversations…</p>;
  if (error && !data) return <p role="alert">Conversations could not be loaded: {error.message}</p>;
  const edges = data?.conversations?.edges ?? [];
  if (edges.length === 0) return <p>No conversations yet.</p>;
  return (
    <>
      {data?.me && <p>Chatting as {data.me.displayName}.</p>}
      <ul aria-label="Conversations">
        {edges.map(({ node }) => (
          <li key={node.id}>
            <strong>{nameOf(node, data?.me?.id)}</strong>
            {node.unreadCount > 0 && <span aria-label={`${node.unreadCount} unread`}> ({node.unreadCount})</span>}
            {node.lastMessage && (
              <p>
                {node.lastMessage.sender?.displayName ?? 'Someone'}: {node.lastMessage.body}
              </p>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
