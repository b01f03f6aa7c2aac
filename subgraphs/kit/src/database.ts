import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Tracer } from '@opentelemetry/api';
import { sql } from 'drizzle-orm';
import type { Logger as DrizzleLogger } from 'drizzle-orm/logger';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { DatabasePoolUse } from './metrics.js';
import { traceQuery } from './tracing.js';

/** A Drizzle database on either driver; stores are written against this type only. */
export type Database<TSchema extends Record<string, unknown>> = PgDatabase<PgQueryResultHKT, TSchema>;

/**
 * PostgreSQL settings for embedded PGlite: small buffers, since each subgraph process holds its
 * own instance and the demo data is small (about 180 MB RSS per instance instead of 300 MB).
 */
export const PGLITE_SETTINGS = ['shared_buffers=16MB', 'wal_buffers=1MB'];

/**
 * Creates a PGlite data directory (initdb) in a worker thread. initdb leaves hundreds of MB of
 * WebAssembly memory behind in the process that ran it; a worker returns it when it exits.
 */
async function initPgliteDataDir(dataDir: string): Promise<void> {
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     import(workerData.module)
       .then(async ({ PGlite }) => { const db = await PGlite.create({ dataDir: workerData.dataDir }); await db.close(); })
       .then(() => parentPort.postMessage('done'), (error) => { throw error; });`,
    { eval: true, workerData: { dataDir, module: import.meta.resolve('@electric-sql/pglite') } },
  );
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`PGlite initdb exited with ${code}`))));
  });
  await worker.terminate();
}

let emptyDataDir: Promise<Blob> | undefined;

/**
 * An empty PGlite data directory (initdb done), as a tarball: an in-memory PGlite loads it in under
 * a second instead of running initdb (about 5 s of CPU each; tests start four at a time). Made once
 * per machine and PGlite build (kept in the system's temporary folder, written whole or not at all)
 * and once per process in memory.
 */
function emptyPgliteDataDir(): Promise<Blob> {
  emptyDataDir ??= (async () => {
    const build = createHash('sha256').update(import.meta.resolve('@electric-sql/pglite')).digest('hex').slice(0, 16);
    const file = path.join(tmpdir(), `mega-pglite-empty-${build}.tar`);
    const kept = await readFile(file).catch(() => null);
    if (kept) return new Blob([kept]);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mega-pglite-initdb-'));
    try {
      await initPgliteDataDir(dataDir);
      const template = await PGlite.create({ dataDir });
      const dump = await template.dumpDataDir('none');
      await template.close();
      const partial = `${file}.${process.pid}.${Date.now()}`;
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
      await rename(partial, file);
      return dump;
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  })();
  emptyDataDir.catch(() => (emptyDataDir = undefined));
  return emptyDataDir;
}

/** Counts the SQL statements a database has run; the N+1 tests read it. */
export class QueryCounter implements DrizzleLogger {
  count = 0;
  logQuery(): void {
    this.count += 1;
  }
}

export interface DatabaseOptions<TSchema extends Record<string, unknown>> {
  /** The subgraph's name: its PostgreSQL schema and its migrations bookkeeping live under it. */
  service: string;
  /** Drizzle table definitions, for the relational query API. */
  schema: TSchema;
  /** drizzle-kit's output folder for this subgraph. */
  migrationsFolder: string;
  /** A PostgreSQL server URL. When absent, embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite's data directory; when absent (and no url), PGlite runs in memory. */
  dataDir?: string | undefined;
  /** Connections in the pool (server only). @default 10 */
  poolSize?: number;
  /** Told about errors of idle pooled connections (a server restart, a failover); the pool replaces them. */
  onConnectionError?: (error: Error) => void;
  /** Each statement run within a recorded trace gets a span (`traceQuery`: the SQL text, never its parameters). @default none */
  tracer?: Tracer | undefined;
}

export interface DatabaseHandle<TSchema extends Record<string, unknown>> {
  db: Database<TSchema>;
  queries: QueryCounter;
  driver: 'pglite' | 'postgres';
  /** Applies pending migrations; concurrent instances wait on an advisory lock. */
  migrate(): Promise<void>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /**
   * Its connections right now (`/metrics`): the pg pool's counts on PostgreSQL; PGlite is one
   * embedded connection (total and max 1) and says nothing about idle or waiting.
   */
  poolUse(): DatabasePoolUse;
  close(): Promise<void>;
}

/** Opens a subgraph's database on PGlite (embedded default) or a PostgreSQL server. */
export async function openDatabase<TSchema extends Record<string, unknown>>(
  options: DatabaseOptions<TSchema>,
): Promise<DatabaseHandle<TSchema>> {
  const queries = new QueryCounter();
  const migrationConfig = {
    migrationsFolder: options.migrationsFolder,
    // Not the service's own schema: its first migration creates that one.
    migrationsSchema: 'drizzle',
    migrationsTable: `migrations_${options.service}`,
  };

  if (options.url) {
    const max = options.poolSize ?? 10;
    const pool = new pg.Pool({ connectionString: options.url, max });
    // Without a listener, an idle connection that the server closes would crash the process.
    pool.on('error', (error) => options.onConnectionError?.(error));
    const db = drizzleNodePg({ client: options.tracer ? tracedPool(pool, options.tracer) : pool, schema: options.schema, logger: queries });
    // One lock for every subgraph's migrations, not one each: they share the `drizzle` schema, and
    // CREATE SCHEMA IF NOT EXISTS races when two run it at once (the loser fails with 23505).
    const lockKey = 'mega:migrate';
    return {
      db: db as unknown as Database<TSchema>,
      queries,
      driver: 'postgres',
      async migrate() {
        const client = await pool.connect();
        try {
          await client.query('select pg_advisory_lock(hashtext($1))', [lockKey]);
          await migrateNodePg(drizzleNodePg({ client }), migrationConfig);
        } finally {
          await client.query('select pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
          client.release();
        }
      },
      async ping() {
        await pool.query('select 1');
      },
      poolUse: () => ({ total: pool.totalCount, max, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: () => pool.end(),
    };
  }

  if (options.dataDir && !existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    await mkdir(options.dataDir, { recursive: true });
    await initPgliteDataDir(options.dataDir);
  }
  const client = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : { loadDataDir: await emptyPgliteDataDir() }),
    postgresqlconf: PGLITE_SETTINGS.join('\n'),
  });
  const db = drizzlePglite({ client: options.tracer ? tracedPglite(client, options.tracer) : client, schema: options.schema, logger: queries });
  return {
    db: db as unknown as Database<TSchema>,
    queries,
    driver: 'pglite',
    migrate: () => migratePglite(db, migrationConfig),
    async ping() {
      await db.execute(sql`select 1`);
    },
    poolUse: () => ({ total: 1, max: 1 }),
    close: () => client.close(),
  };
}

/** `target`'s own methods bound to it (proxies must not become their `this`: private fields), `query` replaced. */
function withQuery<T extends object>(target: T, query: (...args: never[]) => unknown, more: Partial<Record<string | symbol, unknown>> = {}): T {
  return new Proxy(target, {
    get(object, property) {
      if (property === 'query') return query;
      if (property in more) return more[property];
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

/** The statement of a `query` call: a string, or a config object with `text` (node-postgres). */
function statementOf(query: unknown): string {
  return typeof query === 'string' ? query : String((query as { text?: unknown } | null)?.text ?? '');
}

/** PGlite as Drizzle uses it (`query`, and `query` inside `transaction`), each statement in a span. */
function tracedPglite(client: PGlite, tracer: Tracer): PGlite {
  const tracedQuery = (target: PGlite | Transaction) =>
    ((query: string, params?: unknown[], options?: object) => traceQuery(tracer, query, () => target.query(query, params, options))) as never;
  return withQuery(client, tracedQuery(client), {
    transaction: <T>(run: (tx: Transaction) => Promise<T>) => client.transaction((tx) => run(withQuery(tx, tracedQuery(tx)))),
  });
}

/** A node-postgres pool as Drizzle uses it (`query`, `connect` then `query` in transactions), each statement in a span. */
function tracedPool(pool: pg.Pool, tracer: Tracer): pg.Pool {
  const tracedQuery = (target: pg.Pool | pg.PoolClient) =>
    ((query: unknown, values?: unknown, callback?: unknown) =>
      // The callback form is not Drizzle's; it runs untraced.
      callback !== undefined || typeof values === 'function'
        ? (target.query as (...args: unknown[]) => unknown)(query, values, callback)
        : traceQuery(tracer, statementOf(query), () => (target.query as (...args: unknown[]) => Promise<unknown>)(query, values))) as never;
  return withQuery(pool, tracedQuery(pool), {
    connect: async (...args: unknown[]) => {
      if (args.length > 0) return (pool.connect as (...a: unknown[]) => unknown)(...args);
      const client = await pool.connect();
      return withQuery(client, tracedQuery(client));
    },
  });
}
