import { and, eq, inArray, sql } from 'drizzle-orm';
import { isUuid, notFound, runOnce, type Database } from '@mega/subgraph-kit';
import { clientMutations, conversationMembers, conversations, messages, type CommsTables } from './tables.js';

export type MessageRow = typeof messages.$inferSelect;

/**
 * Which messages of one conversation a page holds, all bounds exclusive.
 * `newest: true` takes the newest `limit` messages below `beforeSeq` (the default page, and paging
 * back into history); `newest: false` takes the oldest `limit` above `afterSeq` (catching up).
 */
export interface MessageRange {
  conversationId: string;
  afterSeq: number | null;
  beforeSeq: number | null;
  limit: number;
  newest: boolean;
}

export interface NewMessage {
  conversationId: string;
  senderId: string;
  body: string;
  mediaIds: readonly string[];
  productIds: readonly string[];
  clientMutationId?: string | null | undefined;
  /** For demo data; otherwise the transaction's time. */
  sentAt?: Date;
  id?: string;
}

function inRange(row: MessageRow, range: MessageRange): boolean {
  return (
    row.conversationId === range.conversationId &&
    (range.afterSeq === null || row.seq > range.afterSeq) &&
    (range.beforeSeq === null || row.seq < range.beforeSeq)
  );
}

/** Messages, appended with a gap-free per-conversation sequence. */
export class MessageStore {
  constructor(private readonly db: Database<CommsTables>) {}

  /** One query for any number of ids; rows come back in the order of `ids`, undefined where missing. */
  async byIds(ids: readonly string[]): Promise<(MessageRow | undefined)[]> {
    const valid = [...new Set(ids.filter(isUuid))];
    const rows = valid.length ? await this.db.select().from(messages).where(inArray(messages.id, valid)) : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id.toLowerCase()));
  }

  /** The newest message of each conversation (undefined while empty), in one query, in the order of `conversationIds`. */
  async latest(conversationIds: readonly string[]): Promise<(MessageRow | undefined)[]> {
    const valid = [...new Set(conversationIds.filter(isUuid))];
    const rows = valid.length
      ? await this.db
          .select()
          .from(messages)
          .innerJoin(conversations, and(eq(conversations.id, messages.conversationId), eq(conversations.lastSeq, messages.seq)))
          .where(inArray(conversations.id, valid))
      : [];
    const byConversation = new Map(rows.map((row) => [row.messages.conversationId, row.messages]));
    return conversationIds.map((id) => byConversation.get(id.toLowerCase()));
  }

  /**
   * Pages of messages for any number of ranges in one query; each page in ascending seq order.
   * Every range's page is found by an index scan of its own conversation (a LATERAL subquery), so
   * the cost does not grow with the length of the history.
   */
  async pages(ranges: readonly MessageRange[]): Promise<MessageRow[][]> {
    const wanted = ranges.filter((range) => isUuid(range.conversationId));
    if (wanted.length === 0) return ranges.map(() => []);
    const keys = sql.join(
      wanted.map((r) => sql`(${r.conversationId}::uuid, ${r.afterSeq}::int, ${r.beforeSeq}::int, ${r.limit}::int, ${r.newest}::boolean)`),
      sql`, `,
    );
    const bounds = sql.raw(
      `m.conversation_id = k.conversation_id and (k.after_seq is null or m.seq > k.after_seq) and (k.before_seq is null or m.seq < k.before_seq)`,
    );
    const ids = sql`select page.id from (values ${keys}) as k(conversation_id, after_seq, before_seq, size, newest)
      cross join lateral (
        (select m.id from ${messages} m where k.newest and ${bounds} order by m.seq desc limit k.size)
        union all
        (select m.id from ${messages} m where not k.newest and ${bounds} order by m.seq asc limit k.size)
      ) as page`;
    const rows = await this.db
      .select()
      .from(messages)
      .where(sql`${messages.id} in (${ids})`)
      .orderBy(messages.conversationId, messages.seq);
    // A page is the first `limit` rows of its range in its direction; other ranges' rows never displace them.
    return ranges.map((range) => {
      const matching = rows.filter((row) => inRange(row, range));
      return range.newest ? matching.slice(-range.limit) : matching.slice(0, range.limit);
    });
  }

  /**
   * Appends a message by a member, at most once per (sender, clientMutationId): a retry returns the
   * first message's id without appending again. The conversation row is locked while its `last_seq`
   * is incremented, so concurrent sends get consecutive seqs without gaps. The sender's read marker
   * moves to the new message.
   * @returns the message's id
   * @throws NOT_FOUND when the conversation does not exist or the sender is not a member
   */
  async append(message: NewMessage): Promise<string> {
    const { senderId, conversationId } = message;
    const result = await runOnce(
      this.db,
      clientMutations,
      { userId: senderId, clientMutationId: message.clientMutationId, operation: 'sendMessage' },
      async (tx) => {
        const isMember = tx
          .select({ one: sql`1` })
          .from(conversationMembers)
          .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, senderId)));
        const [conversation] = await tx
          .update(conversations)
          .set({ lastSeq: sql`${conversations.lastSeq} + 1`, activity: sql`nextval('comms.conversation_activity')` })
          .where(and(eq(conversations.id, conversationId), sql`exists (${isMember})`))
          .returning({ lastSeq: conversations.lastSeq });
        if (!conversation) throw notFound('Conversation');
        const [row] = await tx
          .insert(messages)
          .values({
            ...(message.id ? { id: message.id } : {}),
            conversationId,
            seq: conversation.lastSeq,
            senderId,
            body: message.body,
            mediaIds: [...message.mediaIds],
            productIds: [...message.productIds],
            clientMutationId: message.clientMutationId ?? null,
            ...(message.sentAt ? { sentAt: message.sentAt } : {}),
          })
          .returning({ id: messages.id });
        await tx
          .update(conversationMembers)
          .set({ lastReadSeq: sql`greatest(${conversationMembers.lastReadSeq}, ${conversation.lastSeq}::int)` })
          .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, senderId)));
        return { messageId: row!.id };
      },
    );
    return result.messageId;
  }
}
