import { freePort, parsePrometheusText, postGraphQL, TEST_GATEWAY_SECRET, type Scrape } from '@mega/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway, type GatewayOptions } from '../app.js';
import { readGatewayConfig } from '../config.js';
import { memoryLogger, temporaryFolder, testSubgraphs, writeSupergraph } from './support/harness.js';
import { startProbeSubgraph, type ProbeSubgraph } from './support/probe-subgraph.js';

const TOKEN = 'gateway-metrics-token-0123456789';

describe('gateway /metrics', () => {
  let probe: ProbeSubgraph;
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let supergraphFile: string;
  const started: Gateway[] = [];
  const log = memoryLogger();

  async function startGateway(options: Partial<GatewayOptions> = {}): Promise<{ url: string; metricsUrl: string }> {
    const gateway = createGateway({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, supergraph: supergraphFile, logger: log.logger, ...options });
    started.push(gateway);
    const { url } = await gateway.start();
    return { url, metricsUrl: new URL('/metrics', url).href };
  }

  async function scrape(metricsUrl: string, token?: string): Promise<Scrape> {
    const response = await fetch(metricsUrl, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    expect(response.status).toBe(200);
    return parsePrometheusText(await response.text());
  }

  beforeAll(async () => {
    [probe, folder] = await Promise.all([startProbeSubgraph(), temporaryFolder()]);
    supergraphFile = folder.file('supergraph.graphql');
    await writeSupergraph(supergraphFile, await testSubgraphs({ probe: probe.url }));
  });
  afterAll(async () => {
    await Promise.all(started.map((gateway) => gateway.stop()));
    await Promise.all([probe?.stop(), folder?.remove()]);
  });

  it('refuses a scrape without the METRICS_TOKEN, or with another one, with 401 UNAUTHENTICATED', async () => {
    const { metricsUrl } = await startGateway({ metrics: { token: TOKEN } });
    for (const headers of [{}, { authorization: 'Bearer another-token-0123456789' }, { authorization: `Basic ${btoa(`metrics:${TOKEN}`)}` }] as Record<string, string>[]) {
      const response = await fetch(metricsUrl, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(body)).not.toContain('mega_');
    }
    const served = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(parsePrometheusText(await served.text()).has('mega_gateway_websocket_connections')).toBe(true);
  });

  it('is not served at all when disabled', async () => {
    const { metricsUrl } = await startGateway({ metrics: { enabled: false } });
    expect((await fetch(metricsUrl)).status).toBe(404);
  });

  it('counts errors by code, edge refusals included, and failed subgraph fetches by reason', async () => {
    const { url, metricsUrl } = await startGateway();
    const before = await scrape(metricsUrl);
    expect((await postGraphQL(url, { query: 'query Denied { denied }' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await postGraphQL(url, { query: '{ probe { userId } }' }, { authorization: 'Basic bm90OnVzZWQ=' })).status).toBe(401);
    const after = await scrape(metricsUrl);
    const moved = (name: string, labels?: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    expect(moved('mega_gateway_errors_total', { code: 'FORBIDDEN' })).toBe(1);
    expect(moved('mega_gateway_errors_total', { code: 'UNAUTHENTICATED' })).toBe(1);
    expect(moved('mega_gateway_requests_total', { operation: 'Denied', type: 'query' })).toBe(1);
    expect(moved('mega_gateway_requests_total', { operation: 'anonymous', type: 'unknown' })).toBe(1);
    expect(moved('mega_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'probe' })).toBe(1);
    expect(moved('mega_gateway_subgraph_fetch_failures_total')).toBe(0);

    const closedPort = await freePort();
    const unreachable = await startGateway({ subgraphUrls: { probe: `http://127.0.0.1:${closedPort}/graphql` } });
    expect((await postGraphQL(unreachable.url, { query: 'query Probe { probe { userId } }' })).errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
    const failed = await scrape(unreachable.metricsUrl);
    expect(failed.value('mega_gateway_subgraph_fetch_failures_total', { subgraph: 'probe', reason: 'network' })).toBe(1);
    expect(failed.value('mega_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'probe' })).toBe(1);
    expect(failed.value('mega_gateway_errors_total', { code: 'SUBGRAPH_UNAVAILABLE' })).toBe(1);
  });

  it('keeps each gateway in one process on its own registry', async () => {
    const [first, second] = await Promise.all([startGateway(), startGateway()]);
    await postGraphQL(first.url, { query: 'query OnlyFirst { probe { userId } }' });
    expect((await scrape(first.metricsUrl)).value('mega_gateway_requests_total', { operation: 'OnlyFirst' })).toBe(1);
    expect((await scrape(second.metricsUrl)).value('mega_gateway_requests_total', { operation: 'OnlyFirst' })).toBe(0);
  });
});

describe('gateway METRICS_ENABLED and METRICS_TOKEN', () => {
  const base = { GATEWAY_SECRET: TEST_GATEWAY_SECRET };
  const production = { ...base, NODE_ENV: 'production', REQUIRE_PERSISTED_DOCUMENTS: 'false' };

  it('serve /metrics without a token outside production, and only with one in production', () => {
    expect(readGatewayConfig(base).metrics).toEqual({ enabled: true });
    expect(readGatewayConfig(production).metrics).toEqual({ enabled: false });
    expect(readGatewayConfig({ ...production, METRICS_TOKEN: TOKEN }).metrics).toEqual({ enabled: true, token: TOKEN });
  });

  it('refuse to start a production gateway that would serve /metrics to anyone', () => {
    expect(() => readGatewayConfig({ ...production, METRICS_ENABLED: 'true' })).toThrow(/METRICS_TOKEN: is required to serve \/metrics in production/);
  });
});
