import type { MemberConversationRow } from '../store/conversation.store.js';
import type { Conversation } from './conversation.type.js';

/** The GraphQL view of a conversation as the member who reads it sees it. */
export function toConversation(row: MemberConversationRow): Conversation {
  return { id: row.id, title: row.title, createdAt: row.createdAt, lastSeq: row.lastSeq, lastReadSeq: row.lastReadSeq };
}
