import type { CommsContext } from '../context.js';
import { toConversation } from './conversation.mapper.js';
import type { Conversation } from './conversation.type.js';

/**
 * A conversation the viewer is a member of, batched into one query per request.
 * @returns null when there is no such conversation, the viewer is not a member, or the request is anonymous
 */
export async function loadConversation(context: CommsContext, id: string): Promise<Conversation | null> {
  const row = await context.viewerConversation.load(id);
  return row ? toConversation(row) : null;
}

/** Resolves `Conversation` representations; null for anyone but a member. */
export function resolveConversationReference(reference: { id: string }, context: CommsContext): Promise<Conversation | null> {
  return loadConversation(context, reference.id);
}
