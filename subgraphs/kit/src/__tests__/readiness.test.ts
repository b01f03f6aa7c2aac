import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { gql } from 'graphql-tag';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresDatabase, eventually, freePort, querySubgraph, TEST_GATEWAY_SECRET } from '@mega/test-utils';
import type { BaseContext } from '../context.js';
import { launchSubgraph, type SubgraphDefinition, type SubgraphStartOptions } from '../launch.js';
import { createLogger } from '../logger.js';
import type { ReadinessReport } from '../readiness.js';

const logger = createLogger('kit-test', 'silent');

/** A subgraph with one table (migrations under `migrations/<folder>`) and one field. */
function probeSubgraph(folder: 'ready' | 'broken'): SubgraphDefinition<Record<string, never>, null, BaseContext> {
  return {
    service: 'accounts',
    tables: {},
    migrationsFolder: fileURLToPath(new URL(`./migrations/${folder}`, import.meta.url)),
    schema: async () => buildSubgraphSchema({ typeDefs: gql`type Query { hello: String }`, resolvers: { Query: { hello: () => 'hello' } } }),
    services: () => null,
    context: (_services, identity) => ({ identity }),
  };
}

function startOptions(overrides: Partial<SubgraphStartOptions>): SubgraphStartOptions {
  return { port: 0, gatewaySecret: TEST_GATEWAY_SECRET, database: {}, logger, ...overrides };
}

async function readyz(url: string): Promise<{ status: number; body: ReadinessReport }> {
  const response = await fetch(url.replace(/\/graphql$/, '/readyz'));
  return { status: response.status, body: (await response.json()) as ReadinessReport };
}

const healthz = async (url: string) => (await fetch(url.replace(/\/graphql$/, '/healthz'))).status;

describe('subgraph readiness', () => {
  it('listens before migrating: healthz 200, readyz 503 (migrations running) and /graphql 503 UNAVAILABLE until the migration finishes, then ready', async () => {
    const database = await createPostgresDatabase();
    // The migrations wait for this advisory lock (one migration at a time per database): holding it holds them.
    const holder = new pg.Client({ connectionString: database.options.url });
    await holder.connect();
    try {
      await holder.query("select pg_advisory_lock(hashtext('mega:migrate'))");
      let listening!: (url: string) => void;
      const address = new Promise<string>((resolve) => (listening = resolve));
      const launched = launchSubgraph(probeSubgraph('ready'), startOptions({ database: database.options, onListening: ({ url }) => listening(url) }));
      const url = await address;
      // The migration has reached the lock and waits there.
      await eventually(async () => {
        const { rows } = await holder.query<{ waiting: number }>("select count(*)::int as waiting from pg_locks where locktype = 'advisory' and not granted");
        expect(rows[0]?.waiting).toBe(1);
      });

      expect(await healthz(url)).toBe(200);
      expect(await readyz(url)).toEqual({
        status: 503,
        body: { status: 'not ready', service: 'accounts', checks: { migrations: { status: 'failing', reason: 'running' } } },
      });
      const early = await querySubgraph(url, null, '{ hello }');
      expect(early.status).toBe(503);
      expect(early.headers.get('retry-after')).toBe('1');
      expect(early.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');

      await holder.query("select pg_advisory_unlock(hashtext('mega:migrate'))");
      const running = await launched;
      try {
        expect(await readyz(url)).toEqual({
          status: 200,
          body: { status: 'ready', service: 'accounts', checks: { migrations: { status: 'ok' }, database: { status: 'ok' } } },
        });
        expect(await healthz(url)).toBe(200);
        expect((await querySubgraph<{ hello: string }>(url, null, '{ hello }')).data?.hello).toBe('hello');
      } finally {
        await running.stop();
      }
    } finally {
      await holder.end();
      await database.drop();
    }
  });

  it('is not ready with the redis check failing while the configured Redis does not answer', async () => {
    const closedPort = await freePort();
    const running = await launchSubgraph(probeSubgraph('ready'), startOptions({ redisUrl: `redis://127.0.0.1:${closedPort}` }));
    try {
      const { status, body } = await readyz(running.url);
      expect(status).toBe(503);
      expect(body.status).toBe('not ready');
      expect(body.checks.migrations).toEqual({ status: 'ok' });
      expect(body.checks.database).toEqual({ status: 'ok' });
      expect(body.checks.redis).toEqual({ status: 'failing', reason: expect.any(String) });
      expect(await healthz(running.url)).toBe(200);
    } finally {
      await running.stop();
    }
  });

  it('is ready with the redis check ok when the configured Redis answers', async () => {
    const running = await launchSubgraph(probeSubgraph('ready'), startOptions({ redisUrl: 'redis://127.0.0.1:6379' }));
    try {
      // The probe connects in the background; readiness follows once Redis has answered.
      await eventually(async () =>
        expect(await readyz(running.url)).toEqual({
          status: 200,
          body: { status: 'ready', service: 'accounts', checks: { migrations: { status: 'ok' }, database: { status: 'ok' }, redis: { status: 'ok' } } },
        }),
      );
    } finally {
      await running.stop();
    }
  });

  it('fails the start-up with the migration error, and stops listening', async () => {
    let url: string | undefined;
    await expect(launchSubgraph(probeSubgraph('broken'), startOptions({ onListening: (address) => (url = address.url) }))).rejects.toThrow(/no_such_schema/);
    expect(url).toBeDefined();
    await expect(fetch(url!.replace(/\/graphql$/, '/healthz'))).rejects.toThrow();
  });
});
