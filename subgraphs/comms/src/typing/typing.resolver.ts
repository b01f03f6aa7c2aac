import { Arg, Ctx, ID, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import { endingWith, isUuid, notFound, type EventStream } from '@mega/subgraph-kit';
import { requireViewerId, type CommsContext } from '../context.js';
import type { TypingPublished } from '../events.js';
import { TYPING_INTERVAL_MS } from './typing.limiter.js';
import { TypingEvent } from './typing.type.js';

/** The conversation id, lowercased, when the viewer is a member. @throws NOT_FOUND otherwise */
async function memberConversation(context: CommsContext, conversationId: string): Promise<string> {
  if (!isUuid(conversationId)) throw notFound('Conversation');
  const id = conversationId.toLowerCase();
  if (!(await context.viewerConversation.load(id))) throw notFound('Conversation');
  return id;
}

async function* othersTyping(context: CommsContext, viewerId: string, conversationId: string, stream: EventStream<TypingPublished>): AsyncGenerator<TypingEvent> {
  for await (const event of stream) {
    if (event.userId === viewerId) continue;
    if (!(await context.membership.load({ conversationId, userId: viewerId }))) throw notFound('Conversation');
    yield { conversationId: event.conversationId, user: { id: event.userId }, at: new Date(event.at) };
  }
}

@Resolver(() => TypingEvent)
export class TypingResolver {
  @Mutation(() => Boolean, {
    description:
      `Tells the other members that the caller is typing. At most one event per ${TYPING_INTERVAL_MS / 1000} s per user and conversation: ` +
      'true when published, false when within that window (nothing published). NOT_FOUND for anyone but a member.',
  })
  async setTyping(@Arg('conversationId', () => ID) conversationId: string, @Ctx() context: CommsContext): Promise<boolean> {
    const viewerId = requireViewerId(context);
    const id = await memberConversation(context, conversationId);
    if (!context.typingLimiter.allow(viewerId, id)) return false;
    context.events.publish('typing', id, { conversationId: id, userId: viewerId, at: new Date().toISOString() });
    return true;
  }

  @Subscription(() => TypingEvent, {
    description: "Other members' typing in a conversation (never the subscriber's own). NOT_FOUND for anyone but a member, and as the last event when the viewer stops being one.",
    subscribe: async ({ args, context }) => {
      const commsContext = context as CommsContext;
      const viewerId = requireViewerId(commsContext);
      const id = await memberConversation(commsContext, (args as { conversationId: string }).conversationId);
      const stream = await commsContext.events.listen('typing', id);
      return endingWith(othersTyping(commsContext, viewerId, id, stream), stream);
    },
  })
  typing(@Root() event: TypingEvent, @Arg('conversationId', () => ID) _conversationId: string): TypingEvent {
    return event;
  }
}
