import { buildSubgraphSchema } from '@apollo/subgraph';
import { parsePrometheusText, querySubgraph, TEST_GATEWAY_SECRET } from '@mega/test-utils';
import { gql } from 'graphql-tag';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { countClientMutationReplay, GraphQLRequestMetrics, OTHER_OPERATIONS, parseMetricsSettings, SubgraphMetrics } from '../metrics.js';
import { startSubgraphServer, type SubgraphServer } from '../server.js';

const TOKEN = 'metrics-token-0123456789';

/** A subgraph whose `replay` field counts as a mutation answered from its stored result. */
const schema = buildSubgraphSchema({
  typeDefs: gql`
    type Query {
      replay: String
    }
  `,
  resolvers: {
    Query: {
      replay: async () => {
        await new Promise((resolve) => setImmediate(resolve));
        countClientMutationReplay('replayProbe');
        return 'stored';
      },
    },
  },
});

describe('subgraph /metrics', () => {
  const logger = createLogger('kit-test', 'silent');
  let guarded: SubgraphServer;
  let open: SubgraphServer;
  let off: SubgraphServer;
  const start = (metrics: Parameters<typeof startSubgraphServer>[0]['metrics']) =>
    startSubgraphServer({ service: 'probe', schema, port: 0, gatewaySecret: TEST_GATEWAY_SECRET, context: (identity) => ({ identity }), logger, metrics, poolUse: () => ({ total: 3, max: 10, idle: 2, waiting: 0 }) });
  const metricsUrl = (server: SubgraphServer) => server.url.replace(/\/graphql$/, '/metrics');

  beforeAll(async () => {
    [guarded, open, off] = await Promise.all([start({ token: TOKEN }), start({}), start({ enabled: false })]);
  });
  afterAll(() => Promise.all([guarded?.stop(), open?.stop(), off?.stop()]));

  it('refuses a scrape without the METRICS_TOKEN, or with another one, with 401 UNAUTHENTICATED', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: TOKEN }] as Record<string, string>[]) {
      const response = await fetch(metricsUrl(guarded), { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('serves the Prometheus text to a scrape with the token', async () => {
    const response = await fetch(metricsUrl(guarded), { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const scrape = parsePrometheusText(await response.text());
    expect(scrape.value('mega_subgraph_db_pool_connections', { service: 'probe' })).toBe(3);
    expect(scrape.value('mega_subgraph_db_pool_idle_connections')).toBe(2);
    expect(scrape.has('mega_nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('refuses other methods than GET and HEAD', async () => {
    expect((await fetch(metricsUrl(open), { method: 'POST' })).status).toBe(405);
  });

  it('is not served at all when disabled', async () => {
    expect((await fetch(metricsUrl(off))).status).toBe(404);
  });

  it('counts a replay on the subgraph whose request ran it, and each request by operation name', async () => {
    const scrape = async () => parsePrometheusText(await (await fetch(metricsUrl(open))).text());
    const before = await scrape();
    expect((await querySubgraph(open.url, null, 'query Replay { replay }')).data).toEqual({ replay: 'stored' });
    expect((await querySubgraph(open.url, null, '{ replay }')).data).toEqual({ replay: 'stored' });
    const after = await scrape();
    const moved = (name: string, labels?: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    expect(moved('mega_subgraph_client_mutation_replays_total', { operation: 'replayProbe' })).toBe(2);
    expect(moved('mega_subgraph_requests_total', { operation: 'Replay', type: 'query' })).toBe(1);
    expect(moved('mega_subgraph_requests_total', { operation: 'anonymous', type: 'query' })).toBe(1);
    // The other servers in this process keep their own registries.
    const guardedScrape = parsePrometheusText(await (await fetch(metricsUrl(guarded), { headers: { authorization: `Bearer ${TOKEN}` } })).text());
    expect(guardedScrape.value('mega_subgraph_client_mutation_replays_total')).toBe(0);
  });

  it('counts no replay outside a request (a seed, a script)', async () => {
    const metrics = new SubgraphMetrics('alone');
    countClientMutationReplay('addToCart');
    expect(parsePrometheusText(await metrics.registry.metrics()).value('mega_subgraph_client_mutation_replays_total')).toBe(0);
    metrics.run(() => countClientMutationReplay('addToCart'));
    expect(parsePrometheusText(await metrics.registry.metrics()).value('mega_subgraph_client_mutation_replays_total', { operation: 'addToCart' })).toBe(1);
  });
});

describe('operation labels', () => {
  it('are the name, anonymous without one, and other past the cap', () => {
    const metrics = new GraphQLRequestMetrics(new Registry(), 'subgraph', 2);
    expect([metrics.operationLabel('A'), metrics.operationLabel(null), metrics.operationLabel('B'), metrics.operationLabel('C'), metrics.operationLabel('A')]).toEqual([
      'A',
      'anonymous',
      'B',
      OTHER_OPERATIONS,
      'A',
    ]);
  });
});

describe('METRICS_ENABLED and METRICS_TOKEN', () => {
  it('serve /metrics to anyone outside production by default', () => {
    expect(parseMetricsSettings({}, false)).toEqual({ options: { enabled: true }, problems: [] });
  });

  it('serve it in production only with a token', () => {
    expect(parseMetricsSettings({}, true)).toEqual({ options: { enabled: false }, problems: [] });
    expect(parseMetricsSettings({ METRICS_TOKEN: TOKEN }, true)).toEqual({ options: { enabled: true, token: TOKEN }, problems: [] });
    expect(parseMetricsSettings({ METRICS_ENABLED: 'true' }, true).problems).toEqual([expect.stringMatching(/^ {2}METRICS_TOKEN: is required/)]);
    expect(parseMetricsSettings({ METRICS_ENABLED: 'false', METRICS_TOKEN: TOKEN }, true).options.enabled).toBe(false);
  });

  it('name a malformed value', () => {
    expect(parseMetricsSettings({ METRICS_ENABLED: 'yes' }, false).problems).toEqual([expect.stringMatching(/^ {2}METRICS_ENABLED:/)]);
    expect(parseMetricsSettings({ METRICS_TOKEN: 'short' }, false).problems).toEqual([expect.stringMatching(/^ {2}METRICS_TOKEN: must be at least 16/)]);
  });
});
