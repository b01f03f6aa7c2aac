import { buildFederatedSchema } from '@mega/subgraph-kit';
import type { PubSub } from 'type-graphql';
import { MediaAsset, Product } from './attachment/attachment.type.js';
import { resolveConversationReference } from './conversation/conversation.reference.js';
import { ConversationResolver } from './conversation/conversation.resolver.js';
import { Conversation } from './conversation/conversation.type.js';
import { resolveMessageReference } from './message/message.reference.js';
import { MessageResolver } from './message/message.resolver.js';
import { MessageSubscriptionResolver } from './message/message.subscription.js';
import { Message } from './message/message.type.js';
import { resolveUserReference } from './user/user.reference.js';
import { UserResolver } from './user/user.resolver.js';
import { User } from './user/user.type.js';
import { TypingResolver } from './typing/typing.resolver.js';

/**
 * The comms subgraph schema; no side effects.
 * @param events the instance's event bus (servers); omitted, the schema serves its SDL only
 */
export function buildSchema(events?: PubSub) {
  return buildFederatedSchema(
    { resolvers: [ConversationResolver, MessageResolver, MessageSubscriptionResolver, TypingResolver, UserResolver], pubSub: events, orphanedTypes: [User, Conversation, Message, MediaAsset, Product] },
    {
      User: { __resolveReference: resolveUserReference },
      Conversation: { __resolveReference: resolveConversationReference },
      Message: { __resolveReference: resolveMessageReference },
    },
  );
}
