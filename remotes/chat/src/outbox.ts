import type { ApolloCache, ApolloClient } from '@apollo/client';
import { registerOutboxOperation, type SessionUser } from '@mega/mini-app-sdk';
import type { ChatSendMessageMutation, ChatSendMessageMutationVariables } from './gql/graphql';
import { addMessageToCache } from './message-cache';
import { PENDING_PREFIX } from './message-item';
import { CHAT_SEND_MESSAGE } from './operations';

/**
 * How a message kept in the shell's outbox is shown after a reload: as "Sending…" (an optimistic
 * message with the id `pending:<clientMutationId>`) in its conversation until it is sent, then
 * the server's message in its place. Attachments are shown once sent (only their ids are kept).
 * @returns stops
 */
export function registerChatOutbox(client: ApolloClient, user: () => SessionUser | null): () => void {
  return registerOutboxOperation<ChatSendMessageMutation, ChatSendMessageMutationVariables, ApolloCache>(client, {
    document: CHAT_SEND_MESSAGE,
    describe: ({ input }) => (input.body ? `Message “${input.body.length > 60 ? `${input.body.slice(0, 60)}…` : input.body}”` : 'A message with attachments'),
    optimisticResponse: ({ input }) => {
      const sender = user();
      const clientMutationId = input.clientMutationId ?? '';
      return {
        __typename: 'Mutation',
        sendMessage: {
          __typename: 'Message',
          id: `${PENDING_PREFIX}${clientMutationId}`,
          seq: Number.MAX_SAFE_INTEGER,
          body: input.body ?? '',
          sentAt: new Date().toISOString(),
          clientMutationId,
          sender: sender ? { __typename: 'User', id: sender.id, displayName: sender.displayName, avatarUrl: sender.avatarUrl } : null,
          attachments: [],
          conversation: { __typename: 'Conversation', id: String(input.conversationId) },
        },
      };
    },
    update: (cache, { data }) => {
      if (data?.sendMessage) addMessageToCache(cache, data.sendMessage.conversation.id, data.sendMessage);
    },
    // A refused message (too long, say) can be changed in the shell's "Not sent" list and sent again.
    edit: {
      label: 'Message',
      multiline: true,
      value: ({ input }) => input.body ?? '',
      apply: (variables, body) => {
        if (!body.trim() && (variables.input.attachmentIds ?? []).length === 0) throw new Error('Write a message, or discard it.');
        return { ...variables, input: { ...variables.input, body } };
      },
    },
  });
}
