import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badUserInput, isUuid, notFound, type Connection } from '@mega/subgraph-kit';
import { requireViewerId, type CommsContext } from '../context.js';
import { toMessage } from '../message/message.mapper.js';
import { messageRange, toMessageConnection } from '../message/message.pagination.js';
import { Message, MessageConnection } from '../message/message.type.js';
import { User } from '../user/user.type.js';
import { listConversations } from './conversation.list.js';
import { loadConversation } from './conversation.reference.js';
import { Conversation, ConversationConnection } from './conversation.type.js';
import { checkMemberIds, checkTitle, CONVERSATION_MEMBERS_MAX, CONVERSATION_MEMBERS_MIN, CONVERSATION_TITLE_MAX_LENGTH } from './validation.js';

/** Objects of type Conversation are only ever made for its members, so its fields need no further check. */
@Resolver(() => Conversation)
export class ConversationResolver {
  @Query(() => ConversationConnection, { nullable: true, description: "The signed-in user's conversations, latest activity first." })
  conversations(
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: CommsContext,
  ): Promise<Connection<Conversation>> {
    return listConversations(context, requireViewerId(context), first, after);
  }

  @Query(() => Conversation, { nullable: true, description: 'A conversation of the signed-in user; null for anyone but its members.' })
  conversation(@Arg('id', () => ID) id: string, @Ctx() context: CommsContext): Promise<Conversation | null> {
    return loadConversation(context, id);
  }

  @Mutation(() => Conversation, {
    description:
      `Starts a conversation with ${CONVERSATION_MEMBERS_MIN} to ${CONVERSATION_MEMBERS_MAX} members; the caller is always one. ` +
      'For two people without a title, their existing conversation is returned instead of a second one. ' +
      `The title is at most ${CONVERSATION_TITLE_MAX_LENGTH} characters.`,
  })
  async startConversation(
    @Arg('memberIds', () => [ID]) memberIds: string[],
    @Arg('title', () => String, { nullable: true }) title: string | null,
    @Arg('clientMutationId', () => String, {
      nullable: true,
      description: 'Makes retries safe: the same id returns the first conversation instead of starting another.',
    })
    clientMutationId: string | null,
    @Ctx() context: CommsContext,
  ): Promise<Conversation> {
    const viewerId = requireViewerId(context);
    const members = checkMemberIds(memberIds, viewerId);
    const id = await context.conversations.start({ creatorId: viewerId, memberIds: members, title: checkTitle(title), clientMutationId });
    const conversation = await loadConversation(context, id);
    if (!conversation) throw notFound('Conversation');
    return conversation;
  }

  @Mutation(() => Conversation, {
    description: "Marks the conversation read up to `seq` for the caller. Only moves forward; NOT_FOUND for anyone but a member.",
  })
  async markRead(
    @Arg('conversationId', () => ID) conversationId: string,
    @Arg('seq', () => Int) seq: number,
    @Ctx() context: CommsContext,
  ): Promise<Conversation> {
    const viewerId = requireViewerId(context);
    if (seq < 0) throw badUserInput('seq must not be negative.', 'seq');
    if (!isUuid(conversationId) || !(await context.conversations.markRead(conversationId, viewerId, seq))) throw notFound('Conversation');
    context.viewerConversation.clear(conversationId);
    const conversation = await loadConversation(context, conversationId);
    if (!conversation) throw notFound('Conversation');
    return conversation;
  }

  @FieldResolver(() => [User], { nullable: 'items', description: 'Everyone in the conversation, in the order they joined. An item is null while the accounts subgraph is unreachable.' })
  async members(@Root() conversation: Conversation, @Ctx() context: CommsContext): Promise<User[]> {
    const ids = await context.memberIds.load(conversation.id);
    return ids.map((id) => ({ id }));
  }

  @FieldResolver(() => Message, { nullable: true, description: 'The newest message; null while there is none.' })
  async lastMessage(@Root() conversation: Conversation, @Ctx() context: CommsContext): Promise<Message | null> {
    const row = await context.lastMessage.load(conversation.id);
    return row ? toMessage(row, context.identity.userId) : null;
  }

  @FieldResolver(() => Int, { description: 'Messages after the last one the signed-in user has read.' })
  unreadCount(@Root() conversation: Conversation): number {
    return Math.max(0, conversation.lastSeq - conversation.lastReadSeq);
  }

  @FieldResolver(() => MessageConnection, {
    description:
      'Messages in ascending seq order. By default the newest `first`; `before` pages back into history, ' +
      '`after` pages forward from a message seen (catch-up).',
  })
  async messages(
    @Root() conversation: Conversation,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1 to 100. @default 20' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('before', () => String, { nullable: true }) before: string | null,
    @Ctx() context: CommsContext,
  ): Promise<Connection<Message>> {
    const range = messageRange(conversation.id, { first, after, before });
    const rows = await context.messagePage.load(range);
    return toMessageConnection(rows, range, conversation.lastSeq, context.identity.userId);
  }
}
