import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { clientMutationsTable } from '@mega/subgraph-kit/tables';

export const accounts = pgSchema('accounts');

export const users = accounts.table(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    handle: text('handle').notNull(),
    displayName: text('display_name').notNull(),
    avatarUrl: text('avatar_url'),
    passwordHash: text('password_hash').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('users_email_key').on(sql`lower(${table.email})`), uniqueIndex('users_handle_key').on(sql`lower(${table.handle})`)],
);

/**
 * One sign-in: the family of refresh tokens that descend from it by rotation. Every change to a
 * family's tokens happens under a lock on this row, and revoking it makes all of them useless.
 */
export const refreshTokenFamilies = accounts.table(
  'refresh_token_families',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** `logout` or `reuse` (a rotated token was presented again). */
    revokedReason: text('revoked_reason'),
  },
  (table) => [index('refresh_token_families_user_idx').on(table.userId)],
);

/**
 * Opaque refresh tokens, stored as SHA-256 hashes. A rotated token keeps its successor's hash and,
 * for the grace window only, the successor sealed under a key derived from the rotated token itself.
 */
export const refreshTokens = accounts.table(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: uuid('family_id')
      .notNull()
      .references(() => refreshTokenFamilies.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    successorHash: text('successor_hash'),
    successorSealed: text('successor_sealed'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('refresh_tokens_family_idx').on(table.familyId)],
);

/**
 * EdDSA signing keys, numbered by `generation`. The activated key with the highest generation signs;
 * the next one is published before it signs (activated_at null); replaced ones stay published until
 * every token they signed has expired. The unique generation makes concurrent rotations rotate once.
 */
export const signingKeys = accounts.table(
  'signing_keys',
  {
    kid: text('kid').primaryKey(),
    generation: integer('generation').notNull(),
    privateJwk: jsonb('private_jwk').notNull(),
    publicJwk: jsonb('public_jwk').notNull(),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('signing_keys_generation_key').on(table.generation)],
);

export const clientMutations = clientMutationsTable(accounts);

export const tables = { users, refreshTokenFamilies, refreshTokens, signingKeys, clientMutations };
export type AccountsTables = typeof tables;
