import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSubgraphSocket, type SubgraphSocket, type SubgraphSubscription } from '@mega/subgraph-kit/subscription-client';
import { DATABASE_DRIVERS, querySubgraph, TEST_GATEWAY_SECRET, type TestDatabase } from '@mega/test-utils';
import { startCommerce } from '../server.js';

const STEP_MS = 60_000;
const ORDER_STATUS_CHANGED = `subscription($id: ID!) { orderStatusChanged(orderId: $id) { id status total { amountCents } items { quantity } buyer { id } } }`;
type Changed = { orderStatusChanged: { id: string; status: string; total: { amountCents: number }; buyer: { id: string } } };

describe.each(DATABASE_DRIVERS)('orderStatusChanged on $driver', ({ create }) => {
  let database: TestDatabase;
  let commerce: Awaited<ReturnType<typeof startCommerce>>;
  let socket: SubgraphSocket;
  let productId: string;

  beforeAll(async () => {
    database = await create();
    commerce = await startCommerce({
      port: 0,
      gatewaySecret: TEST_GATEWAY_SECRET,
      database: database.options,
      seedDemoData: true,
      fulfilmentStepMs: STEP_MS,
      fulfilmentWorker: false,
    });
    socket = connectSubgraphSocket(commerce.url, TEST_GATEWAY_SECRET);
    const products = await querySubgraph<{ products: { edges: { node: { id: string } }[] } }>(commerce.url, null, '{ products(first: 1) { edges { node { id } } } }');
    productId = products.data!.products.edges[0]!.node.id;
  });
  afterAll(async () => {
    await socket?.close();
    const pool = (commerce?.database.db as { $client?: { on?: (event: 'error', listener: () => void) => void } } | undefined)?.$client;
    pool?.on?.('error', () => undefined);
    await commerce?.stop();
    await database?.drop();
  });

  async function placeOrder(buyer: string): Promise<string> {
    const added = await querySubgraph(commerce.url, buyer, `mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { version } }`, { p: productId });
    expect(added.errors).toBeUndefined();
    const placed = await querySubgraph<{ checkout: { id: string } }>(commerce.url, buyer, `mutation($c: String!) { checkout(clientMutationId: $c) { id } }`, {
      c: randomUUID(),
    });
    expect(placed.errors).toBeUndefined();
    return placed.data!.checkout.id;
  }

  const statusOf = async (subscription: SubgraphSubscription<Changed>) => {
    const result = await subscription.next();
    expect(result.errors).toBeUndefined();
    return result.data!.orderStatusChanged.status;
  };
  let stepsTaken = 0;
  /** Runs one fulfilment step of every due order, with a clock far enough ahead. */
  const fulfilOneStep = () => commerce.services.orders.advanceDueOrders(new Date(Date.now() + ++stepsTaken * 2 * STEP_MS));

  it('refuses anonymous users, other users and malformed ids when subscribing', async () => {
    const orderId = await placeOrder(randomUUID());
    for (const [user, id, code] of [
      [null, orderId, 'UNAUTHENTICATED'],
      [randomUUID(), orderId, 'NOT_FOUND'],
      [randomUUID(), 'nope', 'NOT_FOUND'],
      [randomUUID(), randomUUID(), 'NOT_FOUND'],
    ] as const) {
      const subscription = socket.subscribe(user, ORDER_STATUS_CHANGED, { id });
      expect((await subscription.next()).errors?.map((error) => error.extensions?.code)).toEqual([code]);
      await subscription.completed;
    }
  });

  it('emits the current state, then each change once and in order, and completes after DELIVERED', async () => {
    const buyer = randomUUID();
    const orderId = await placeOrder(buyer);
    const subscription = socket.subscribe<Changed>(buyer, ORDER_STATUS_CHANGED, { id: orderId });
    const first = await subscription.next();
    expect(first.data?.orderStatusChanged).toMatchObject({ id: orderId, status: 'PLACED', buyer: { id: buyer } });
    await fulfilOneStep();
    expect(await statusOf(subscription)).toBe('PAID');
    // The same change announced again (a redelivery) is not shown twice.
    commerce.services.events.publish('orderStatusChanged', orderId, { orderId, buyerId: buyer, from: 'PLACED', to: 'PAID', at: new Date().toISOString() });
    await fulfilOneStep();
    expect(await statusOf(subscription)).toBe('SHIPPED');
    await fulfilOneStep();
    expect(await statusOf(subscription)).toBe('DELIVERED');
    await subscription.completed;
    expect(subscription.received.map((result) => result.data?.orderStatusChanged.status)).toEqual(['PLACED', 'PAID', 'SHIPPED', 'DELIVERED']);
  });

  it('completes after CANCELLED, and at once for an order that is already final', async () => {
    const buyer = randomUUID();
    const orderId = await placeOrder(buyer);
    const subscription = socket.subscribe<Changed>(buyer, ORDER_STATUS_CHANGED, { id: orderId });
    expect(await statusOf(subscription)).toBe('PLACED');
    const cancelled = await querySubgraph(commerce.url, buyer, `mutation($id: ID!) { cancelOrder(orderId: $id) { status } }`, { id: orderId });
    expect(cancelled.errors).toBeUndefined();
    expect(await statusOf(subscription)).toBe('CANCELLED');
    await subscription.completed;

    const again = socket.subscribe<Changed>(buyer, ORDER_STATUS_CHANGED, { id: orderId });
    expect(await statusOf(again)).toBe('CANCELLED');
    await again.completed;
    expect(again.received).toHaveLength(1);
  });
});
