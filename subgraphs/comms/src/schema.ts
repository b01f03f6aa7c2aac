import { buildFederatedSchema } from '@mega/subgraph-kit';
import { MediaAsset, Product } from './attachment/attachment.type.js';
import { resolveConversationReference } from './conversation/conversation.reference.js';
import { ConversationResolver } from './conversation/conversation.resolver.js';
import { Conversation } from './conversation/conversation.type.js';
import { resolveMessageReference } from './message/message.reference.js';
import { MessageResolver } from './message/message.resolver.js';
import { Message } from './message/message.type.js';
import { resolveUserReference } from './user/user.reference.js';
import { UserResolver } from './user/user.resolver.js';
import { User } from './user/user.type.js';

/** The comms subgraph schema; no side effects. */
export function buildSchema() {
  return buildFederatedSchema(
    { resolvers: [ConversationResolver, MessageResolver, UserResolver], orphanedTypes: [User, Conversation, Message, MediaAsset, Product] },
    {
      User: { __resolveReference: resolveUserReference },
      Conversation: { __resolveReference: resolveConversationReference },
      Message: { __resolveReference: resolveMessageReference },
    },
  );
}
