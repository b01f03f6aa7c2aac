import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL server the store suites run against. Each suite creates its own database there
 * and drops it afterwards. @default postgres://postgres@127.0.0.1:5432/postgres
 */
export const TEST_POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** One of the two interchangeable storage back ends of every subgraph. */
export interface TestDatabase {
  driver: 'pglite' | 'postgres';
  /** Options for `openDatabase`/`SubgraphStartOptions.database`: a fresh, empty database. */
  options: { url?: string };
  /** Drops what `create` made. */
  drop(): Promise<void>;
}

/** A fresh, empty PostgreSQL database on the test server. */
export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `mega_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    driver: 'postgres',
    options: { url: url.toString() },
    async drop() {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A fresh in-memory PGlite database (nothing to drop). */
export function createPgliteDatabase(): TestDatabase {
  return { driver: 'pglite', options: {}, drop: async () => undefined };
}

/** Both back ends, for `describe.each`: the same store suite runs on each. */
export const DATABASE_DRIVERS = [
  { driver: 'pglite' as const, create: async () => createPgliteDatabase() },
  { driver: 'postgres' as const, create: createPostgresDatabase },
];
