import { and, desc, eq, getTableColumns, inArray, lt, sql } from 'drizzle-orm';
import { isUuid, runOnce, type Database } from '@mega/subgraph-kit';
import { clientMutations, conversationMembers, conversations, type CommsTables } from './tables.js';

export type ConversationRow = typeof conversations.$inferSelect;

/** A conversation as one of its members sees it: the row plus that member's read state. */
export type MemberConversationRow = ConversationRow & { lastReadSeq: number };

/** The key that makes untitled two-person conversations unique per pair. */
function directKey(memberIds: readonly string[], title: string | null): string | null {
  if (memberIds.length !== 2 || title !== null) return null;
  return [...memberIds].sort().join(':');
}

/** Conversations, their members and the members' read state. */
export class ConversationStore {
  constructor(private readonly db: Database<CommsTables>) {}

  private selectForMember(userId: string) {
    return this.db
      .select({ ...getTableColumns(conversations), lastReadSeq: conversationMembers.lastReadSeq })
      .from(conversations)
      .innerJoin(
        conversationMembers,
        and(eq(conversationMembers.conversationId, conversations.id), eq(conversationMembers.userId, userId)),
      );
  }

  /**
   * The conversations among `ids` of which `userId` is a member, in one query.
   * @returns rows in the order of `ids`; undefined where there is no such conversation or the user is not a member
   */
  async forMember(userId: string, ids: readonly string[]): Promise<(MemberConversationRow | undefined)[]> {
    const valid = [...new Set(ids.filter(isUuid))];
    const rows = valid.length && isUuid(userId) ? await this.selectForMember(userId).where(inArray(conversations.id, valid)) : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id.toLowerCase()));
  }

  /**
   * One page of a member's conversations, latest activity first.
   * @param options.beforeActivity only conversations whose activity is older than this (the `after` cursor)
   * @param options.limit rows to return (callers ask for one more than the page size)
   */
  async pageForMember(userId: string, options: { beforeActivity: number | null; limit: number }): Promise<MemberConversationRow[]> {
    const older = options.beforeActivity === null ? undefined : lt(conversations.activity, options.beforeActivity);
    return this.selectForMember(userId).where(older).orderBy(desc(conversations.activity)).limit(options.limit);
  }

  /**
   * The member ids of each conversation, in one query.
   * @returns one list per id, in the order of `ids`, members in the order they joined
   */
  async memberIds(ids: readonly string[]): Promise<string[][]> {
    const valid = [...new Set(ids.filter(isUuid))];
    const rows = valid.length
      ? await this.db
          .select({ conversationId: conversationMembers.conversationId, userId: conversationMembers.userId })
          .from(conversationMembers)
          .where(inArray(conversationMembers.conversationId, valid))
          .orderBy(conversationMembers.joinedAt, conversationMembers.userId)
      : [];
    const byConversation = new Map<string, string[]>();
    for (const row of rows) {
      const list = byConversation.get(row.conversationId) ?? [];
      list.push(row.userId);
      byConversation.set(row.conversationId, list);
    }
    return ids.map((id) => byConversation.get(id.toLowerCase()) ?? []);
  }

  /**
   * Starts a conversation, at most once per (creator, clientMutationId): a retry returns the first
   * conversation's id. An untitled two-person conversation is unique per pair: when one exists
   * already, its id is returned instead of a new one.
   * @param input.memberIds distinct, validated user ids, the creator among them
   * @param input.id a fixed id (demo data)
   * @returns the id of the new (or existing two-person) conversation
   */
  async start(input: {
    creatorId: string;
    memberIds: readonly string[];
    title: string | null;
    clientMutationId?: string | null | undefined;
    id?: string;
  }): Promise<string> {
    const key = directKey(input.memberIds, input.title);
    const result = await runOnce(
      this.db,
      clientMutations,
      { userId: input.creatorId, clientMutationId: input.clientMutationId, operation: 'startConversation' },
      async (tx) => {
        const [created] = await tx
          .insert(conversations)
          .values({ ...(input.id ? { id: input.id } : {}), title: input.title, directKey: key })
          .onConflictDoNothing({ target: conversations.directKey })
          .returning({ id: conversations.id });
        if (!created) {
          // Only direct_key can clash: the pair already has its conversation (committed, or we waited for it).
          const [existing] = await tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.directKey, key!));
          return { conversationId: existing!.id };
        }
        await tx.insert(conversationMembers).values(input.memberIds.map((userId) => ({ conversationId: created.id, userId })));
        return { conversationId: created.id };
      },
    );
    return result.conversationId;
  }

  /**
   * Moves a member's read marker forward to `seq` (capped at the newest message); never backwards.
   * @returns false when the conversation does not exist or the user is not a member
   */
  async markRead(conversationId: string, userId: string, seq: number): Promise<boolean> {
    if (!isUuid(conversationId)) return false;
    const rows = await this.db
      .update(conversationMembers)
      .set({ lastReadSeq: sql`greatest(${conversationMembers.lastReadSeq}, least(${seq}::int, ${conversations.lastSeq}))` })
      .from(conversations)
      .where(
        and(
          eq(conversations.id, conversationMembers.conversationId),
          eq(conversationMembers.conversationId, conversationId),
          eq(conversationMembers.userId, userId),
        ),
      )
      .returning({ lastReadSeq: conversationMembers.lastReadSeq });
    return rows.length > 0;
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(conversations);
    return row?.n ?? 0;
  }

  /**
   * Whether each user is a member of each conversation, in one query (per-event authorization of
   * subscriptions: many subscribers of one conversation are checked together).
   * @returns one boolean per pair, in the order of `pairs`
   */
  async areMembers(pairs: readonly { conversationId: string; userId: string }[]): Promise<boolean[]> {
    const key = (conversationId: string, userId: string) => `${conversationId.toLowerCase()}:${userId.toLowerCase()}`;
    const valid = [...new Map(pairs.filter((pair) => isUuid(pair.conversationId) && isUuid(pair.userId)).map((pair) => [key(pair.conversationId, pair.userId), pair])).values()];
    if (valid.length === 0) return pairs.map(() => false);
    // Asks for the pairs that are NOT members, as two parallel array parameters: an event of a big
    // conversation checks thousands of subscribers, nearly all members, so the answer stays small
    // (reading back a row per member cost more than the check), and so does the statement.
    // Both drivers (node-postgres and PGlite) answer `execute` with `{ rows }`.
    const result = (await this.db.execute(sql`
      select p.conversation_id, p.user_id
      from unnest(${sql.param(valid.map((pair) => pair.conversationId.toLowerCase()))}::uuid[], ${sql.param(valid.map((pair) => pair.userId.toLowerCase()))}::uuid[])
        as p(conversation_id, user_id)
      where not exists (
        select 1 from ${conversationMembers} m
        where m.conversation_id = p.conversation_id and m.user_id = p.user_id
      )`)) as unknown as { rows: { conversation_id: string; user_id: string }[] };
    const outsiders = new Set(result.rows.map((row) => key(row.conversation_id, row.user_id)));
    return pairs.map((pair) => isUuid(pair.conversationId) && isUuid(pair.userId) && !outsiders.has(key(pair.conversationId, pair.userId)));
  }


  /** The seq of the newest message (0 while empty); undefined when there is no such conversation. */
  async lastSeq(conversationId: string): Promise<number | undefined> {
    if (!isUuid(conversationId)) return undefined;
    const [row] = await this.db.select({ lastSeq: conversations.lastSeq }).from(conversations).where(eq(conversations.id, conversationId));
    return row?.lastSeq;
  }

  /**
   * Takes a user out of a conversation: they stop seeing it and stop receiving its events.
   * No mutation exposes it yet (leaving and removing members is a later issue).
   * @returns false when the user was not a member
   */
  async removeMember(conversationId: string, userId: string): Promise<boolean> {
    if (!isUuid(conversationId) || !isUuid(userId)) return false;
    const removed = await this.db
      .delete(conversationMembers)
      .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)))
      .returning({ userId: conversationMembers.userId });
    return removed.length > 0;
  }
}
