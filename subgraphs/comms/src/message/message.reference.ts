import type { CommsContext } from '../context.js';
import { toMessage } from './message.mapper.js';
import type { Message } from './message.type.js';

/**
 * Resolves `Message` representations: two batched queries per request (the messages, then the
 * viewer's membership of their conversations), whatever the number of representations.
 * @returns null when there is no such message or the viewer is not a member of its conversation
 */
export async function resolveMessageReference(reference: { id: string }, context: CommsContext): Promise<Message | null> {
  const row = await context.messageById.load(reference.id);
  if (!row) return null;
  const conversation = await context.viewerConversation.load(row.conversationId);
  return conversation ? toMessage(row, context.identity.userId) : null;
}
