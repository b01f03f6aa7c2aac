import { graphql } from './gql';

/** What every message shows: who, when, the text and the attachments (media from media, products from commerce). */
export const CHAT_MESSAGE = graphql(`
  fragment ChatMessage on Message {
    id
    seq
    body
    sentAt
    clientMutationId
    sender {
      id
      displayName
      avatarUrl
    }
    attachments {
      ... on MediaAsset {
        id
        kind
        title
        thumbnailUrl
        url
      }
      ... on Product {
        id
        title
        price {
          formatted
        }
      }
    }
  }
`);

export const CHAT_CONVERSATIONS = graphql(`
  query ChatConversations {
    conversations(first: 50) {
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
            seq
            body
            sentAt
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

/** Page size of the thread, going back into history. */
export const THREAD_PAGE_SIZE = 30;

export const CHAT_THREAD = graphql(`
  query ChatThread($id: ID!, $before: String, $first: Int) {
    conversation(id: $id) {
      id
      title
      unreadCount
      members {
        id
        displayName
      }
      messages(first: $first, before: $before) {
        edges {
          cursor
          node {
            ...ChatMessage
          }
        }
        pageInfo {
          hasPreviousPage
          startCursor
        }
      }
    }
  }
`);

export const CHAT_MESSAGE_ADDED = graphql(`
  subscription ChatMessageAdded($conversationId: ID!, $afterSeq: Int) {
    messageAdded(conversationId: $conversationId, afterSeq: $afterSeq) {
      ...ChatMessage
      conversation {
        id
      }
    }
  }
`);

export const CHAT_TYPING = graphql(`
  subscription ChatTyping($conversationId: ID!) {
    typing(conversationId: $conversationId) {
      conversationId
      at
      user {
        id
        displayName
      }
    }
  }
`);

export const CHAT_SEND_MESSAGE = graphql(`
  mutation ChatSendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      ...ChatMessage
      conversation {
        id
      }
    }
  }
`);

export const CHAT_SET_TYPING = graphql(`
  mutation ChatSetTyping($conversationId: ID!) {
    setTyping(conversationId: $conversationId)
  }
`);

export const CHAT_MARK_READ = graphql(`
  mutation ChatMarkRead($conversationId: ID!, $seq: Int!) {
    markRead(conversationId: $conversationId, seq: $seq) {
      id
      unreadCount
    }
  }
`);

/** Whether a picked asset can be seen by the conversation (a PRIVATE one cannot). */
export const CHAT_ATTACHMENT_VISIBILITY = graphql(`
  query ChatAttachmentVisibility($id: ID!) {
    mediaAsset(id: $id) {
      id
      title
      visibility
    }
  }
`);

export const CHAT_SHARE_ATTACHMENT = graphql(`
  mutation ChatShareAttachment($id: ID!) {
    updateMediaAsset(id: $id, input: { visibility: UNLISTED }) {
      id
      visibility
    }
  }
`);
