import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { postGraphQL, scrapeMetrics, TEST_GATEWAY_SECRET } from '@mega/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../app.js';
import { composeSupergraph } from '../compose.js';
import { QueryPlanStore, queryPlanKey, warmQueryPlans } from '../supergraph/query-plan-cache.js';
import { SubscriptionPlanner } from '../subscriptions/subscription-planner.js';
import { memoryLogger, temporaryFolder, testSubgraphs, writeSupergraph } from './support/harness.js';
import { startProbeSubgraph, type ProbeSubgraph } from './support/probe-subgraph.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const WARMED = 'query plans of the persisted documents warmed';

/** A manifest as the client preset writes it: sha256 of the text -> text. */
const manifest = (...documents: string[]) => JSON.stringify(Object.fromEntries(documents.map((text) => [sha256(text), text])));

const PROBE = 'query Probe { probe { requestId } }';
const TWO_OPERATIONS = 'query First { probe { userId } } query Second { probe { requestId } }';
/** Valid only against the supergraph with the probe's `added` field. */
const ADDED = 'query Added { added }';
const LATER = 'query Later { probe { userId requestId } }';

describe('query plans warmed from the persisted documents', () => {
  let probe: ProbeSubgraph;
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let manifests: Awaited<ReturnType<typeof temporaryFolder>>;
  let gateway: Gateway;
  let url: string;
  const log = memoryLogger();
  const warmups = () => log.records.filter((record) => record.msg === WARMED);

  beforeAll(async () => {
    [probe, folder, manifests] = await Promise.all([startProbeSubgraph(), temporaryFolder(), temporaryFolder()]);
    await writeSupergraph(folder.file('supergraph.graphql'), await testSubgraphs({ probe: probe.url }));
    await writeFile(manifests.file('persisted-documents.json'), manifest(PROBE, TWO_OPERATIONS, ADDED));
    gateway = createGateway({
      port: 0,
      gatewaySecret: TEST_GATEWAY_SECRET,
      supergraph: folder.file('supergraph.graphql'),
      supergraphWatchDebounceMs: 10,
      persistedDocuments: { dir: manifests.path, watchDebounceMs: 10 },
      logger: log.logger,
    });
    ({ url } = await gateway.start());
  });
  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([probe?.stop(), folder?.remove(), manifests?.remove()]);
  });

  const lookups = async () => {
    const scrape = await scrapeMetrics(url);
    return {
      hit: scrape.value('mega_gateway_query_plan_cache_lookups_total', { result: 'hit' }),
      miss: scrape.value('mega_gateway_query_plan_cache_lookups_total', { result: 'miss' }),
    };
  };
  /** The lookups `run` made: what moved between two scrapes. */
  async function lookupsOf(run: () => Promise<void>): Promise<{ hit: number; miss: number }> {
    const before = await lookups();
    await run();
    const after = await lookups();
    return { hit: after.hit - before.hit, miss: after.miss - before.miss };
  }
  const byId = async (text: string, operationName?: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ documentId: `sha256:${sha256(text)}`, operationName }),
    });
    const result = (await response.json()) as { data?: { probe?: { requestId: string; userId: string | null }; added?: string }; errors?: unknown };
    expect(result.errors).toBeUndefined();
    return result.data;
  };

  it('is ready only once every operation of the manifests is planned; their first requests find their plans', async () => {
    const warmed = log.records.findIndex((record) => record.msg === WARMED);
    const listening = log.records.findIndex((record) => record.msg === 'gateway listening');
    expect(warmed).toBeGreaterThanOrEqual(0);
    expect(warmed).toBeLessThan(listening);
    // PROBE and TWO_OPERATIONS: 3 operations; ADDED does not validate against this supergraph.
    expect(warmups()[0]).toMatchObject({ documents: 2, planned: 3, skipped: 1, completed: true });

    expect(
      await lookupsOf(async () => {
        expect((await byId(PROBE, 'Probe'))?.probe?.requestId).toEqual(expect.any(String));
        expect((await byId(PROBE))?.probe?.requestId).toEqual(expect.any(String)); // no operationName: another key
        expect((await byId(TWO_OPERATIONS, 'First'))?.probe).toEqual({ userId: null });
        expect((await byId(TWO_OPERATIONS, 'Second'))?.probe?.requestId).toEqual(expect.any(String));
      }),
    ).toEqual({ hit: 4, miss: 0 });
  });

  it('plans a document that is not persisted at its first request, and finds it at the next', async () => {
    const query = '{ probe { userId } }';
    expect(await lookupsOf(async () => void (await postGraphQL(url, { query })))).toEqual({ hit: 0, miss: 1 });
    expect(await lookupsOf(async () => void (await postGraphQL(url, { query })))).toEqual({ hit: 1, miss: 0 });
  });

  it('warms again on a new supergraph (whose change cleared the cache), with the documents that now validate', async () => {
    await writeSupergraph(folder.file('supergraph.graphql'), await testSubgraphs({ probe: probe.url }, { withAddedField: true }));
    await expect.poll(() => warmups().length).toBe(2);
    expect(warmups()[1]).toMatchObject({ documents: 3, planned: 4, skipped: 0, completed: true });
    expect(
      await lookupsOf(async () => {
        expect(await byId(ADDED, 'Added')).toEqual({ added: 'added' });
        expect((await byId(PROBE, 'Probe'))?.probe?.requestId).toEqual(expect.any(String));
      }),
    ).toEqual({ hit: 2, miss: 0 });
  });

  it('plans the documents of a manifest added while it runs', async () => {
    const before = warmups().length;
    await writeFile(manifests.file('later.json'), manifest(LATER));
    await expect.poll(() => warmups().length).toBe(before + 1);
    expect(await lookupsOf(async () => expect((await byId(LATER, 'Later'))?.probe).toEqual({ userId: null, requestId: expect.any(String) }))).toEqual({
      hit: 1,
      miss: 0,
    });
  });

  it('stops, storing nothing more, once a newer supergraph is in force', async () => {
    const planner = new SubscriptionPlanner(composeSupergraph(await testSubgraphs({ probe: probe.url })));
    const cache = new QueryPlanStore();
    let current = true;
    const documents = (function* () {
      yield PROBE;
      current = false; // the supergraph changed while the first document was planned
      yield TWO_OPERATIONS;
    })();
    const result = await warmQueryPlans({ planner, cache, documents, isCurrent: () => current, logger: log.logger });
    expect(result).toMatchObject({ documents: 1, planned: 1, completed: false });
    expect(cache.has(queryPlanKey(PROBE, 'Probe'))).toBe(true);
    expect(cache.has(queryPlanKey(PROBE, undefined))).toBe(true);
    expect(cache.has(queryPlanKey(TWO_OPERATIONS, 'First'))).toBe(false);
  });
});
