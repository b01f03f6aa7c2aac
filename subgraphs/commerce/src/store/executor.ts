import type { Database } from '@mega/subgraph-kit';

/**
 * What the stores' transaction steps run on: the database or a transaction (a Drizzle
 * transaction is a database too). Typed without the schema so that kit `runOnce` transactions fit.
 */
export type Executor = Database<Record<string, unknown>>;
