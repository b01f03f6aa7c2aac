import { Arg, ID, Int, Resolver, Root, Subscription } from 'type-graphql';
import type { CommsContext } from '../context.js';
import { messageAddedStream } from './message.stream.js';
import { Message } from './message.type.js';

interface MessageAddedArgs {
  conversationId: string;
  afterSeq?: number | null;
}

@Resolver(() => Message)
export class MessageSubscriptionResolver {
  @Subscription(() => Message, {
    description:
      'Messages of a conversation, for its members: first the stored ones with seq > afterSeq in order, then live ones, ' +
      'each seq exactly once and in order per subscription. Without afterSeq: live from now. NOT_FOUND for anyone but a member, ' +
      'and as the last event when the viewer stops being one. Resubscribe after a disconnect with the last seq received.',
    subscribe: ({ args, context, info }) =>
      messageAddedStream(context as CommsContext, (args as MessageAddedArgs).conversationId, (args as MessageAddedArgs).afterSeq ?? null, info),
  })
  messageAdded(
    @Root() message: Message,
    @Arg('conversationId', () => ID) _conversationId: string,
    @Arg('afterSeq', () => Int, { nullable: true, description: 'The last seq the client has; stored messages after it are replayed first.' })
    _afterSeq: number | null,
  ): Message {
    return message;
  }
}
