import { demoId } from '@mega/subgraph-kit/demo';
import {
  accessTokenFor,
  DEMO_USERS,
  postGraphQL,
  queryAs,
  scrapeMetrics,
  startFederation,
  subscribeThroughGateway,
  type Federation,
  type Scrape,
} from '@mega/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOP_PRODUCTS = 'query TopProducts { products(first: 2) { edges { node { id title } } } }';
const TOO_MANY_PRODUCTS = 'query TooManyProducts { products(first: 101) { edges { node { id } } } }';
const ADD_TO_CART = `mutation AddToCart($productId: ID!, $clientMutationId: String) {
  addToCart(productId: $productId, quantity: 1, clientMutationId: $clientMutationId) { version items { quantity } }
}`;
const MESSAGE_ADDED = 'subscription MessageAdded($conversationId: ID!) { messageAdded(conversationId: $conversationId) { seq } }';

describe('/metrics of the gateway and a subgraph, scraped before and after a known workload', () => {
  let federation: Federation;
  let token: string;

  beforeAll(async () => {
    federation = await startFederation({ seed: true });
    token = await accessTokenFor(federation.gatewayUrl, DEMO_USERS.alice);
  });
  afterAll(() => federation?.stop());

  /** The gateway's open WebSocket connections and live subscriptions. */
  async function webSocketGauges(): Promise<[number, number]> {
    const scrape = await scrapeMetrics(federation.gatewayUrl);
    return [scrape.value('mega_gateway_websocket_connections'), scrape.value('mega_gateway_subscriptions')];
  }

  it('moves each counter by exactly the requests, errors, subgraph fetches and replays made, and the WebSocket gauges back', async () => {
    const gatewayUrl = federation.gatewayUrl;
    const before = { gateway: await scrapeMetrics(gatewayUrl), commerce: await scrapeMetrics(federation.commerce.url) };
    expect(await webSocketGauges()).toEqual([0, 0]);

    // Three named queries.
    let productId = '';
    for (let i = 0; i < 3; i++) {
      const data = await queryAs<{ products: { edges: { node: { id: string } }[] } }>(gatewayUrl, token, TOP_PRODUCTS);
      productId = data.products.edges[0]!.node.id;
    }
    // One query failing with a known code (commerce refuses the page size).
    const tooMany = await postGraphQL(gatewayUrl, { query: TOO_MANY_PRODUCTS }, { authorization: `Bearer ${token}` });
    expect(tooMany.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    // One mutation sent twice with the same clientMutationId: the second is the stored result.
    const variables = { productId, clientMutationId: 'metrics-test-add-1' };
    const first = await queryAs<{ addToCart: unknown }>(gatewayUrl, token, ADD_TO_CART, variables);
    expect(await queryAs<{ addToCart: unknown }>(gatewayUrl, token, ADD_TO_CART, variables)).toEqual(first);
    // One subscription, opened then closed.
    const subscription = subscribeThroughGateway(gatewayUrl, token, { query: MESSAGE_ADDED, variables: { conversationId: demoId('conversation:alice-bob') } });
    await expect.poll(webSocketGauges).toEqual([1, 1]);
    await subscription.client.dispose();
    await expect.poll(webSocketGauges).toEqual([0, 0]);

    const after = { gateway: await scrapeMetrics(gatewayUrl), commerce: await scrapeMetrics(federation.commerce.url) };
    const moved = (scrape: keyof typeof after, name: string, labels?: Record<string, string>) =>
      after[scrape].value(name, labels) - before[scrape].value(name, labels);

    // Gateway: one count per HTTP request, by operation name and type, with its latency.
    expect(moved('gateway', 'mega_gateway_requests_total', { operation: 'TopProducts', type: 'query' })).toBe(3);
    expect(moved('gateway', 'mega_gateway_request_duration_seconds_count', { operation: 'TopProducts', type: 'query' })).toBe(3);
    expect(moved('gateway', 'mega_gateway_requests_total', { operation: 'TooManyProducts', type: 'query' })).toBe(1);
    expect(moved('gateway', 'mega_gateway_requests_total', { operation: 'AddToCart', type: 'mutation' })).toBe(2);
    expect(moved('gateway', 'mega_gateway_requests_total')).toBe(6);
    expect(moved('gateway', 'mega_gateway_request_duration_seconds_sum')).toBeGreaterThan(0);
    expect(moved('gateway', 'mega_gateway_errors_total', { code: 'BAD_USER_INPUT' })).toBe(1);
    expect(moved('gateway', 'mega_gateway_errors_total')).toBe(1);
    // Every operation above needs commerce alone: one fetch each, none failed.
    expect(moved('gateway', 'mega_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'commerce' })).toBe(6);
    expect(moved('gateway', 'mega_gateway_subgraph_fetch_duration_seconds_count')).toBe(6);
    expect(moved('gateway', 'mega_gateway_subgraph_fetch_failures_total')).toBe(0);

    // Commerce: the same operations as the gateway fetched them, the error, and the one replay.
    expect(moved('commerce', 'mega_subgraph_requests_total', { type: 'query' })).toBe(4);
    expect(moved('commerce', 'mega_subgraph_requests_total', { type: 'mutation' })).toBe(2);
    expect(moved('commerce', 'mega_subgraph_request_duration_seconds_count')).toBe(6);
    expect(moved('commerce', 'mega_subgraph_errors_total', { code: 'BAD_USER_INPUT' })).toBe(1);
    expect(moved('commerce', 'mega_subgraph_errors_total')).toBe(1);
    expect(moved('commerce', 'mega_subgraph_client_mutation_replays_total', { operation: 'addToCart' })).toBe(1);
    expect(moved('commerce', 'mega_subgraph_client_mutation_replays_total')).toBe(1);
  });

  it('labels operations by name only, never by anything else the client sent', async () => {
    const scrape = await scrapeMetrics(federation.gatewayUrl);
    const operations = new Set(series(scrape, 'mega_gateway_requests_total').map((labels) => labels.operation));
    expect([...operations].every((operation) => /^(anonymous|[_A-Za-z][_0-9A-Za-z]*)$/.test(operation!))).toBe(true);
    for (const labels of series(scrape, 'mega_gateway_requests_total')) expect(Object.keys(labels).sort()).toEqual(['operation', 'service', 'type']);
  });

  it('reports the database pool (PGlite: one embedded connection), the event-loop lag and the service of every series', async () => {
    const commerce = await scrapeMetrics(federation.commerce.url);
    expect(commerce.value('mega_subgraph_db_pool_connections', { service: 'commerce' })).toBe(1);
    expect(commerce.value('mega_subgraph_db_pool_max_connections')).toBe(1);
    expect(commerce.has('mega_subgraph_db_pool_waiting_requests')).toBe(false);
    expect(commerce.has('mega_nodejs_eventloop_lag_seconds')).toBe(true);
    expect(commerce.samples.every((sample) => sample.labels.service === 'commerce')).toBe(true);
    const gateway = await scrapeMetrics(federation.gatewayUrl);
    expect(gateway.has('mega_nodejs_eventloop_lag_p99_seconds')).toBe(true);
    expect(gateway.samples.every((sample) => sample.labels.service === 'gateway')).toBe(true);
  });
});

function series(scrape: Scrape, name: string): Record<string, string>[] {
  return scrape.samples.filter((sample) => sample.name === name).map((sample) => sample.labels);
}
