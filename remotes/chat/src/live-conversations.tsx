import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react';
import { addMessageToCache } from './message-cache';
import { CHAT_CONVERSATIONS, CHAT_MESSAGE_ADDED } from './operations';

/** Keeps one conversation's last message and unread count live (the open one is read, so it counts nothing). */
function LiveConversation({ conversationId, open, viewerId }: { conversationId: string; open: boolean; viewerId: string | undefined }) {
  const client = useApolloClient();
  useSubscription(CHAT_MESSAGE_ADDED, {
    variables: { conversationId },
    onData: ({ data }) => {
      const message = data.data?.messageAdded;
      if (message) addMessageToCache(client.cache, conversationId, message, { countUnread: !open && message.sender?.id !== viewerId });
    },
  });
  return null;
}

/** Live updates of the conversation list: new messages move into each conversation as they are sent. */
export function LiveConversations({ openId, viewerId }: { openId: string | undefined; viewerId: string | undefined }) {
  const { data } = useQuery(CHAT_CONVERSATIONS);
  return (
    <>
      {data?.conversations?.edges.map(({ node }) => (
        <LiveConversation key={node.id} conversationId={node.id} open={node.id === openId} viewerId={viewerId} />
      ))}
    </>
  );
}
