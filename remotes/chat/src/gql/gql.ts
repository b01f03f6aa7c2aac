/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment ChatMessage on Message {\n    id\n    seq\n    body\n    sentAt\n    clientMutationId\n    sender {\n      id\n      displayName\n      avatarUrl\n    }\n    attachments {\n      ... on MediaAsset {\n        id\n        kind\n        title\n        thumbnailUrl\n        url\n      }\n      ... on Product {\n        id\n        title\n        price {\n          formatted\n        }\n      }\n    }\n  }\n": typeof types.ChatMessageFragmentDoc,
    "\n  query ChatConversations {\n    conversations(first: 50) {\n      edges {\n        node {\n          id\n          title\n          unreadCount\n          members {\n            id\n            displayName\n          }\n          lastMessage {\n            id\n            seq\n            body\n            sentAt\n            sender {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.ChatConversationsDocument,
    "\n  query ChatThread($id: ID!, $before: String, $first: Int) {\n    conversation(id: $id) {\n      id\n      title\n      unreadCount\n      members {\n        id\n        displayName\n      }\n      messages(first: $first, before: $before) {\n        edges {\n          cursor\n          node {\n            ...ChatMessage\n          }\n        }\n        pageInfo {\n          hasPreviousPage\n          startCursor\n        }\n      }\n    }\n  }\n": typeof types.ChatThreadDocument,
    "\n  subscription ChatMessageAdded($conversationId: ID!, $afterSeq: Int) {\n    messageAdded(conversationId: $conversationId, afterSeq: $afterSeq) {\n      ...ChatMessage\n      conversation {\n        id\n      }\n    }\n  }\n": typeof types.ChatMessageAddedDocument,
    "\n  subscription ChatTyping($conversationId: ID!) {\n    typing(conversationId: $conversationId) {\n      conversationId\n      at\n      user {\n        id\n        displayName\n      }\n    }\n  }\n": typeof types.ChatTypingDocument,
    "\n  mutation ChatSendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      ...ChatMessage\n      conversation {\n        id\n      }\n    }\n  }\n": typeof types.ChatSendMessageDocument,
    "\n  mutation ChatSetTyping($conversationId: ID!) {\n    setTyping(conversationId: $conversationId)\n  }\n": typeof types.ChatSetTypingDocument,
    "\n  mutation ChatMarkRead($conversationId: ID!, $seq: Int!) {\n    markRead(conversationId: $conversationId, seq: $seq) {\n      id\n      unreadCount\n    }\n  }\n": typeof types.ChatMarkReadDocument,
    "\n  query ChatAttachmentVisibility($id: ID!) {\n    mediaAsset(id: $id) {\n      id\n      title\n      visibility\n    }\n  }\n": typeof types.ChatAttachmentVisibilityDocument,
    "\n  mutation ChatShareAttachment($id: ID!) {\n    updateMediaAsset(id: $id, input: { visibility: UNLISTED }) {\n      id\n      visibility\n    }\n  }\n": typeof types.ChatShareAttachmentDocument,
};
const documents: Documents = {
    "\n  fragment ChatMessage on Message {\n    id\n    seq\n    body\n    sentAt\n    clientMutationId\n    sender {\n      id\n      displayName\n      avatarUrl\n    }\n    attachments {\n      ... on MediaAsset {\n        id\n        kind\n        title\n        thumbnailUrl\n        url\n      }\n      ... on Product {\n        id\n        title\n        price {\n          formatted\n        }\n      }\n    }\n  }\n": types.ChatMessageFragmentDoc,
    "\n  query ChatConversations {\n    conversations(first: 50) {\n      edges {\n        node {\n          id\n          title\n          unreadCount\n          members {\n            id\n            displayName\n          }\n          lastMessage {\n            id\n            seq\n            body\n            sentAt\n            sender {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n": types.ChatConversationsDocument,
    "\n  query ChatThread($id: ID!, $before: String, $first: Int) {\n    conversation(id: $id) {\n      id\n      title\n      unreadCount\n      members {\n        id\n        displayName\n      }\n      messages(first: $first, before: $before) {\n        edges {\n          cursor\n          node {\n            ...ChatMessage\n          }\n        }\n        pageInfo {\n          hasPreviousPage\n          startCursor\n        }\n      }\n    }\n  }\n": types.ChatThreadDocument,
    "\n  subscription ChatMessageAdded($conversationId: ID!, $afterSeq: Int) {\n    messageAdded(conversationId: $conversationId, afterSeq: $afterSeq) {\n      ...ChatMessage\n      conversation {\n        id\n      }\n    }\n  }\n": types.ChatMessageAddedDocument,
    "\n  subscription ChatTyping($conversationId: ID!) {\n    typing(conversationId: $conversationId) {\n      conversationId\n      at\n      user {\n        id\n        displayName\n      }\n    }\n  }\n": types.ChatTypingDocument,
    "\n  mutation ChatSendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      ...ChatMessage\n      conversation {\n        id\n      }\n    }\n  }\n": types.ChatSendMessageDocument,
    "\n  mutation ChatSetTyping($conversationId: ID!) {\n    setTyping(conversationId: $conversationId)\n  }\n": types.ChatSetTypingDocument,
    "\n  mutation ChatMarkRead($conversationId: ID!, $seq: Int!) {\n    markRead(conversationId: $conversationId, seq: $seq) {\n      id\n      unreadCount\n    }\n  }\n": types.ChatMarkReadDocument,
    "\n  query ChatAttachmentVisibility($id: ID!) {\n    mediaAsset(id: $id) {\n      id\n      title\n      visibility\n    }\n  }\n": types.ChatAttachmentVisibilityDocument,
    "\n  mutation ChatShareAttachment($id: ID!) {\n    updateMediaAsset(id: $id, input: { visibility: UNLISTED }) {\n      id\n      visibility\n    }\n  }\n": types.ChatShareAttachmentDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ChatMessage on Message {\n    id\n    seq\n    body\n    sentAt\n    clientMutationId\n    sender {\n      id\n      displayName\n      avatarUrl\n    }\n    attachments {\n      ... on MediaAsset {\n        id\n        kind\n        title\n        thumbnailUrl\n        url\n      }\n      ... on Product {\n        id\n        title\n        price {\n          formatted\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment ChatMessage on Message {\n    id\n    seq\n    body\n    sentAt\n    clientMutationId\n    sender {\n      id\n      displayName\n      avatarUrl\n    }\n    attachments {\n      ... on MediaAsset {\n        id\n        kind\n        title\n        thumbnailUrl\n        url\n      }\n      ... on Product {\n        id\n        title\n        price {\n          formatted\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatConversations {\n    conversations(first: 50) {\n      edges {\n        node {\n          id\n          title\n          unreadCount\n          members {\n            id\n            displayName\n          }\n          lastMessage {\n            id\n            seq\n            body\n            sentAt\n            sender {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ChatConversations {\n    conversations(first: 50) {\n      edges {\n        node {\n          id\n          title\n          unreadCount\n          members {\n            id\n            displayName\n          }\n          lastMessage {\n            id\n            seq\n            body\n            sentAt\n            sender {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatThread($id: ID!, $before: String, $first: Int) {\n    conversation(id: $id) {\n      id\n      title\n      unreadCount\n      members {\n        id\n        displayName\n      }\n      messages(first: $first, before: $before) {\n        edges {\n          cursor\n          node {\n            ...ChatMessage\n          }\n        }\n        pageInfo {\n          hasPreviousPage\n          startCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ChatThread($id: ID!, $before: String, $first: Int) {\n    conversation(id: $id) {\n      id\n      title\n      unreadCount\n      members {\n        id\n        displayName\n      }\n      messages(first: $first, before: $before) {\n        edges {\n          cursor\n          node {\n            ...ChatMessage\n          }\n        }\n        pageInfo {\n          hasPreviousPage\n          startCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ChatMessageAdded($conversationId: ID!, $afterSeq: Int) {\n    messageAdded(conversationId: $conversationId, afterSeq: $afterSeq) {\n      ...ChatMessage\n      conversation {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ChatMessageAdded($conversationId: ID!, $afterSeq: Int) {\n    messageAdded(conversationId: $conversationId, afterSeq: $afterSeq) {\n      ...ChatMessage\n      conversation {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ChatTyping($conversationId: ID!) {\n    typing(conversationId: $conversationId) {\n      conversationId\n      at\n      user {\n        id\n        displayName\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ChatTyping($conversationId: ID!) {\n    typing(conversationId: $conversationId) {\n      conversationId\n      at\n      user {\n        id\n        displayName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChatSendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      ...ChatMessage\n      conversation {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ChatSendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      ...ChatMessage\n      conversation {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChatSetTyping($conversationId: ID!) {\n    setTyping(conversationId: $conversationId)\n  }\n"): (typeof documents)["\n  mutation ChatSetTyping($conversationId: ID!) {\n    setTyping(conversationId: $conversationId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChatMarkRead($conversationId: ID!, $seq: Int!) {\n    markRead(conversationId: $conversationId, seq: $seq) {\n      id\n      unreadCount\n    }\n  }\n"): (typeof documents)["\n  mutation ChatMarkRead($conversationId: ID!, $seq: Int!) {\n    markRead(conversationId: $conversationId, seq: $seq) {\n      id\n      unreadCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatAttachmentVisibility($id: ID!) {\n    mediaAsset(id: $id) {\n      id\n      title\n      visibility\n    }\n  }\n"): (typeof documents)["\n  query ChatAttachmentVisibility($id: ID!) {\n    mediaAsset(id: $id) {\n      id\n      title\n      visibility\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChatShareAttachment($id: ID!) {\n    updateMediaAsset(id: $id, input: { visibility: UNLISTED }) {\n      id\n      visibility\n    }\n  }\n"): (typeof documents)["\n  mutation ChatShareAttachment($id: ID!) {\n    updateMediaAsset(id: $id, input: { visibility: UNLISTED }) {\n      id\n      visibility\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;