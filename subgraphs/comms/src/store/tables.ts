import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { clientMutationsTable } from '@mega/subgraph-kit/tables';

export const comms = pgSchema('comms');

/** Orders conversations by their latest activity (creation or last message); unique and increasing. */
export const conversationActivity = comms.sequence('conversation_activity');

export const conversations = comms.table(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title'),
    /** The seq of the newest message; 0 while empty. Incremented in the sending transaction. */
    lastSeq: integer('last_seq').notNull().default(0),
    /** A value of `conversation_activity`, renewed by every message: the list's sort key and cursor. */
    activity: bigint('activity', { mode: 'number' })
      .notNull()
      .default(sql`nextval('comms.conversation_activity')`),
    /** `<smaller id>:<larger id>` for untitled two-person conversations, so that there is only one per pair. */
    directKey: text('direct_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('conversations_direct_key').on(table.directKey), index('conversations_activity_idx').on(table.activity)],
);

export const conversationMembers = comms.table(
  'conversation_members',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** A user of the accounts subgraph; not a foreign key, since accounts owns its own database. */
    userId: uuid('user_id').notNull(),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    /** The seq of the newest message this member has read; only ever moves forward. */
    lastReadSeq: integer('last_read_seq').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.conversationId, table.userId] }), index('conversation_members_user_idx').on(table.userId)],
);

export const messages = comms.table(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** 1, 2, 3, ... per conversation, without gaps. */
    seq: integer('seq').notNull(),
    senderId: uuid('sender_id').notNull(),
    /** Trimmed; empty only when the message has attachments. */
    body: text('body').notNull(),
    /** Media assets (owned by the media subgraph), in the order given. */
    mediaIds: uuid('media_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    /** Products (owned by the commerce subgraph), in the order given. */
    productIds: uuid('product_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    clientMutationId: text('client_mutation_id'),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('messages_conversation_seq_key').on(table.conversationId, table.seq)],
);

export const clientMutations = clientMutationsTable(comms);

export const tables = { conversations, conversationMembers, messages, clientMutations };
export type CommsTables = typeof tables;
