import { and, eq } from 'drizzle-orm';
import { jsonb, primaryKey, text, timestamp, type PgSchema } from 'drizzle-orm/pg-core';
import type { Database } from './database.js';
import { badUserInput, conflict } from './errors.js';
import { countClientMutationReplay } from './metrics.js';
import { uniqueViolation } from './postgres-errors.js';

/** Longest clientMutationId accepted. */
export const MAX_CLIENT_MUTATION_ID_LENGTH = 128;

/**
 * The table in which a subgraph stores the first result of each retried mutation,
 * keyed by (user, clientMutationId). Declare it in the subgraph's Drizzle schema.
 */
export function clientMutationsTable(schema: PgSchema) {
  return schema.table(
    'client_mutations',
    {
      userId: text('user_id').notNull(),
      clientMutationId: text('client_mutation_id').notNull(),
      operation: text('operation').notNull(),
      result: jsonb('result').notNull(),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (table) => [primaryKey({ columns: [table.userId, table.clientMutationId] })],
  );
}
export type ClientMutationsTable = ReturnType<typeof clientMutationsTable>;

type Transaction = Parameters<Parameters<Database<Record<string, unknown>>['transaction']>[0]>[0];


/**
 * Runs `effect` at most once per (user, clientMutationId): the effect and its result are committed
 * in one transaction, and a retry returns the stored result without running the effect again.
 * Without a clientMutationId the effect simply runs in a transaction. Each stored result returned
 * counts in `mega_subgraph_client_mutation_replays_total{operation}`.
 * @returns the JSON-serializable result of the first run
 * @throws CONFLICT when the id was already used for a different operation
 */
export async function runOnce<T>(
  db: Database<Record<string, unknown>>,
  table: ClientMutationsTable,
  key: { userId: string; clientMutationId: string | null | undefined; operation: string },
  effect: (tx: Transaction) => Promise<T>,
): Promise<T> {
  const { userId, clientMutationId, operation } = key;
  if (clientMutationId == null) return db.transaction(effect);
  if (clientMutationId.length === 0 || clientMutationId.length > MAX_CLIENT_MUTATION_ID_LENGTH) {
    throw badUserInput(`clientMutationId must be 1 to ${MAX_CLIENT_MUTATION_ID_LENGTH} characters.`, 'clientMutationId');
  }
  const stored = async () => {
    const [row] = await db
      .select()
      .from(table)
      .where(and(eq(table.userId, userId), eq(table.clientMutationId, clientMutationId)));
    if (row && row.operation !== operation) {
      throw conflict(`clientMutationId was already used for ${row.operation}.`, { argument: 'clientMutationId' });
    }
    return row;
  };
  const previous = await stored();
  if (previous) {
    countClientMutationReplay(operation);
    return previous.result as T;
  }
  try {
    return await db.transaction(async (tx) => {
      const result = await effect(tx);
      await tx.insert(table).values({ userId, clientMutationId, operation, result: result as object });
      return result;
    });
  } catch (error) {
    // A concurrent retry committed first: its effect stands and ours rolled back.
    if (!uniqueViolation(error)) throw error;
    const winner = await stored();
    if (!winner) throw error;
    countClientMutationReplay(operation);
    return winner.result as T;
  }
}
