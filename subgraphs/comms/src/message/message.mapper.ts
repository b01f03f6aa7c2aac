import type { AttachmentReference } from '../attachment/attachment.type.js';
import type { MessageRow } from '../store/message.store.js';
import type { Message } from './message.type.js';

/** The GraphQL view of a message row; `clientMutationId` only for its sender. */
export function toMessage(row: MessageRow, viewerId: string | null): Message {
  const attachments: AttachmentReference[] = [
    ...row.mediaIds.map((id) => ({ __typename: 'MediaAsset' as const, id })),
    ...row.productIds.map((id) => ({ __typename: 'Product' as const, id })),
  ];
  return {
    id: row.id,
    seq: row.seq,
    body: row.body,
    sentAt: row.sentAt,
    sender: { id: row.senderId },
    attachments,
    clientMutationId: viewerId === row.senderId ? row.clientMutationId : null,
    conversationId: row.conversationId,
  };
}
