import { DEMO_USERS, postGraphQL, startFederation, subscribeThroughGateway, type Federation } from '@mega/test-utils';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Result = { data?: { orderStatusChanged?: { id: string; status: string; buyer: { displayName: string } | null; items: { product: { title: string; images: ({ url: string } | null)[] } }[] } } | null; errors?: readonly { extensions?: Record<string, unknown> }[] };

const ORDER_STATUS = `subscription($id: ID!) {
  orderStatusChanged(orderId: $id) { id status buyer { displayName } items { product { title images { url } } } }
}`;

describe('orderStatusChanged through the gateway', () => {
  let federation: Federation;
  const clients: Client[] = [];
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    federation = await startFederation({ seed: true });
    for (const user of [DEMO_USERS.alice, DEMO_USERS.bob]) {
      const login = await postGraphQL<{ logIn: { accessToken: string } }>(federation.gatewayUrl, {
        query: 'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { accessToken } }',
        variables: { e: user.email, p: user.password },
      });
      tokens[user.handle] = login.data!.logIn.accessToken;
    }
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await federation?.stop();
  });

  function subscribe(handle: string, orderId: string) {
    const subscription = subscribeThroughGateway<Result['data']>(federation.gatewayUrl, tokens[handle]!, { query: ORDER_STATUS, variables: { id: orderId } });
    clients.push(subscription.client);
    return { results: subscription.results as Result[], ended: subscription.ended };
  }

  it('sends the buyer the order as stored, then each status once in order with fields from accounts and media, and completes at DELIVERED', async () => {
    const cart = await postGraphQL<{ products: { edges: { node: { id: string } }[] } }>(federation.gatewayUrl, { query: '{ products(first: 1) { edges { node { id } } } }' });
    const productId = cart.data!.products.edges[0]!.node.id;
    const auth = { authorization: `Bearer ${tokens.alice}` };
    await postGraphQL(federation.gatewayUrl, { query: 'mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { version } }', variables: { p: productId } }, auth);
    const checkout = await postGraphQL<{ checkout: { id: string; status: string } }>(
      federation.gatewayUrl,
      { query: 'mutation($c: String!) { checkout(clientMutationId: $c) { id status } }', variables: { c: crypto.randomUUID() } },
      auth,
    );
    const order = checkout.data!.checkout;
    expect(order.status).toBe('PLACED');

    const buyer = subscribe('alice', order.id);
    const stranger = subscribe('bob', order.id);
    expect(await stranger.ended).toBe('complete');
    expect(stranger.results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);

    await expect.poll(() => buyer.results.length).toBe(1);
    // Move the order along as the fulfilment worker would, with a clock far enough ahead for each step.
    const orders = federation.commerce.services.orders;
    for (let step = 1; step <= 3; step += 1) {
      await orders.advanceDueOrders(new Date(Date.now() + step * 24 * 3600_000));
      await expect.poll(() => buyer.results.length).toBe(step + 1);
    }
    expect(await buyer.ended).toBe('complete');
    expect(buyer.results.map((r) => r.data?.orderStatusChanged?.status)).toEqual(['PLACED', 'PAID', 'SHIPPED', 'DELIVERED']);
    const last = buyer.results.at(-1)!;
    expect(last.errors).toBeUndefined();
    expect(last.data?.orderStatusChanged?.buyer?.displayName).toBe(DEMO_USERS.alice.displayName);
    expect(last.data?.orderStatusChanged?.items[0]?.product.images[0]?.url).toMatch(/^https?:\/\//);
  });
});
