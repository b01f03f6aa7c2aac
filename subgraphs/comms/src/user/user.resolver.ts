import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { forbidden, type Connection } from '@mega/subgraph-kit';
import type { CommsContext } from '../context.js';
import { listConversations } from '../conversation/conversation.list.js';
import { type Conversation, ConversationConnection } from '../conversation/conversation.type.js';
import { User } from './user.type.js';

@Resolver(() => User)
export class UserResolver {
  @FieldResolver(() => ConversationConnection, {
    nullable: true,
    description: "The user's conversations, latest activity first. Only for the signed-in user themself: FORBIDDEN for anyone else.",
  })
  conversations(
    @Root() user: User,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: CommsContext,
  ): Promise<Connection<Conversation>> {
    if (!context.identity.userId || context.identity.userId !== user.id) throw forbidden("Only the user themself can list their conversations.");
    return listConversations(context, user.id, first, after);
  }
}
