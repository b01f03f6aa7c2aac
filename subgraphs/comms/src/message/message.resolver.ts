import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { isUuid, notFound } from '@mega/subgraph-kit';
import { requireViewerId, type CommsContext } from '../context.js';
import { loadConversation } from '../conversation/conversation.reference.js';
import { Conversation } from '../conversation/conversation.type.js';
import { publishMessageAdded } from '../events.js';
import { toMessage } from './message.mapper.js';
import { SendMessageInput } from './message.input.js';
import { Message } from './message.type.js';
import { checkMessageContent } from './validation.js';

/** Objects of type Message are only ever made for members of its conversation. */
@Resolver(() => Message)
export class MessageResolver {
  @Mutation(() => Message, {
    description:
      'Appends a message with the next seq. Retrying with the same clientMutationId returns the first message. ' +
      'NOT_FOUND for anyone but a member.',
  })
  async sendMessage(@Arg('input', () => SendMessageInput) input: SendMessageInput, @Ctx() context: CommsContext): Promise<Message> {
    const viewerId = requireViewerId(context);
    if (!isUuid(input.conversationId)) throw notFound('Conversation');
    const content = checkMessageContent(input);
    const conversationId = input.conversationId.toLowerCase();
    const id = await context.messages.append({ conversationId, senderId: viewerId, ...content, clientMutationId: input.clientMutationId });
    // The send changed what this request may have loaded already.
    context.viewerConversation.clear(conversationId);
    context.lastMessage.clear(conversationId);
    context.messagePage.clearAll();
    const row = await context.messageById.load(id);
    if (!row) throw notFound('Message');
    // After the commit, so that subscribers who then read the store find it; a retried send publishes
    // again, which subscribers drop by seq.
    publishMessageAdded(context.events, row);
    return toMessage(row, viewerId);
  }

  @FieldResolver(() => Conversation)
  async conversation(@Root() message: Message, @Ctx() context: CommsContext): Promise<Conversation> {
    const conversation = await loadConversation(context, message.conversationId);
    if (!conversation) throw notFound('Conversation');
    return conversation;
  }
}
