import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { DEMO_PRODUCTS, DEMO_USERS, demoId } from '@mega/subgraph-kit';
import { DATABASE_DRIVERS, querySubgraph, TEST_GATEWAY_SECRET, type TestDatabase } from '@mega/test-utils';
import { DEMO_ORDER_ID, demoProductId } from '../seed.js';
import { startCommerce } from '../server.js';
import { orders } from '../store/tables.js';

/** The fulfilment delay in these tests; the worker loop is off and the tests move a fake clock. */
const STEP_MS = 60_000;

interface MoneyView {
  amountCents: number;
  currency: string;
  formatted: string;
}
interface CartView {
  version: number;
  itemCount: number;
  total: MoneyView;
  items: { quantity: number; lineTotal: MoneyView; product: { id: string; title: string } }[];
}
interface OrderView {
  id: string;
  status: string;
  placedAt: string;
  total: MoneyView;
  buyer: { id: string };
  items: { quantity: number; unitPrice: MoneyView; lineTotal: MoneyView; product: { id: string; title: string } }[];
}

const CART_FIELDS = `version itemCount total { amountCents currency formatted } items { quantity lineTotal { amountCents formatted } product { id title } }`;
const ORDER_FIELDS = `id status placedAt total { amountCents currency formatted } buyer { id } items { quantity unitPrice { amountCents formatted } lineTotal { amountCents } product { id title } }`;

/**
 * Stops a subgraph, then drops its database. The kit's pg pool resolves end() before its
 * connections have closed and has no 'error' listener, so the DROP DATABASE ... WITH (FORCE)
 * that follows can kill a closing connection and crash the run: teardown ignores those errors.
 */
async function stopAndDrop(running: Awaited<ReturnType<typeof startCommerce>> | undefined, database: TestDatabase | undefined) {
  const pool = (running?.database.db as { $client?: { on?: (event: 'error', listener: () => void) => void } } | undefined)?.$client;
  pool?.on?.('error', () => undefined);
  await running?.stop();
  await database?.drop();
}

describe.each(DATABASE_DRIVERS)('commerce subgraph on $driver', ({ driver, create }) => {
  let database: TestDatabase;
  let commerce: Awaited<ReturnType<typeof startCommerce>>;

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
  });
  afterAll(() => stopAndDrop(commerce, database));

  const call = <T>(userId: string | null, query: string, variables?: Record<string, unknown>) =>
    querySubgraph<T>(commerce.url, userId, query, variables);

  let productCounter = 0;
  async function newProduct(input: { stock: number; priceCents?: number; title?: string }) {
    productCounter += 1;
    return commerce.services.products.create({
      slug: `test-product-${randomUUID()}`,
      title: input.title ?? `Zz Test Product ${productCounter}`,
      description: 'Made for a test.',
      priceCents: input.priceCents ?? 1000,
      stock: input.stock,
    });
  }

  const addToCart = (userId: string | null, productId: string, quantity: number, clientMutationId?: string) =>
    call<{ addToCart: CartView }>(
      userId,
      `mutation($p: ID!, $q: Int!, $c: String) { addToCart(productId: $p, quantity: $q, clientMutationId: $c) { ${CART_FIELDS} } }`,
      { p: productId, q: quantity, c: clientMutationId ?? null },
    );
  const checkout = (userId: string, clientMutationId: string) =>
    call<{ checkout: OrderView }>(userId, `mutation($c: String!) { checkout(clientMutationId: $c) { ${ORDER_FIELDS} } }`, { c: clientMutationId });
  const stockOf = async (productId: string) => commerce.services.products.stockOf(productId);
  const statusOf = async (orderId: string) => {
    const [row] = await commerce.database.db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
    return row?.status;
  };

  describe('browsing', () => {
    const page = `query($first: Int, $after: String, $search: String) {
      products(first: $first, after: $after, search: $search) {
        edges { cursor node { id title description stock price { amountCents currency formatted } images { id } } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    type Page = {
      products: {
        edges: { node: { id: string; title: string; price: MoneyView; images: { id: string }[] } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };

    it('lets anonymous visitors page through the whole catalogue by title without gaps or repeats', async () => {
      const titles: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 10; pages += 1) {
        const result: Awaited<ReturnType<typeof call<Page>>> = await call<Page>(null, page, { first: 3, after });
        expect(result.errors).toBeUndefined();
        titles.push(...result.data!.products.edges.map((edge) => edge.node.title));
        if (!result.data!.products.pageInfo.hasNextPage) break;
        after = result.data!.products.pageInfo.endCursor;
      }
      expect(titles).toEqual(DEMO_PRODUCTS.map((product) => product.title).sort());
    });

    it('shows seeded products with formatted prices and the media ids of their images', async () => {
      const result = await call<Page>(null, page, { search: 'wireless' });
      const [headphones] = result.data!.products.edges;
      expect(result.data!.products.edges).toHaveLength(1);
      expect(headphones!.node).toMatchObject({
        id: demoProductId('wireless-headphones'),
        title: 'Wireless Headphones',
        price: { amountCents: 8999, currency: 'USD', formatted: '$89.99' },
        images: [{ id: demoId('media:product-image:wireless-headphones') }],
      });
    });

    it('searches titles and descriptions case-insensitively, with wildcards taken literally', async () => {
      const byTitle = await call<Page>(null, page, { search: 'TRAVEL mug' });
      expect(byTitle.data!.products.edges.map((edge) => edge.node.title)).toEqual(['Travel Mug']);
      const byDescription = await call<Page>(null, page, { search: 'NOISE-cancelling' });
      expect(byDescription.data!.products.edges.map((edge) => edge.node.title)).toEqual(['Wireless Headphones']);
      const wildcard = await call<Page>(null, page, { search: '%' });
      expect(wildcard.data!.products.edges).toEqual([]);
    });

    it('answers product(id) by id, and null for unknown or malformed ids', async () => {
      const query = `query($id: ID!) { product(id: $id) { id title stock } }`;
      const found = await call<{ product: { title: string } | null }>(null, query, { id: demoProductId('yoga-mat') });
      expect(found.data?.product?.title).toBe('Yoga Mat');
      const unknown = await call<{ product: null }>(null, query, { id: randomUUID() });
      expect(unknown.errors).toBeUndefined();
      expect(unknown.data?.product).toBeNull();
      const malformed = await call<{ product: null }>(null, query, { id: 'not-a-uuid' });
      expect(malformed.errors).toBeUndefined();
      expect(malformed.data?.product).toBeNull();
    });

    it('refuses first above 100, a search longer than 100 characters and a forged cursor with BAD_USER_INPUT', async () => {
      const tooMany = await call(null, page, { first: 101 });
      expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
      const longSearch = await call(null, page, { search: 'x'.repeat(101) });
      expect(longSearch.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'search' });
      const okSearch = await call(null, page, { search: 'x'.repeat(100) });
      expect(okSearch.errors).toBeUndefined();
      const forged = await call(null, page, { after: Buffer.from(JSON.stringify(['Yoga', 'nope'])).toString('base64url') });
      expect(forged.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    });
  });

  describe('privacy', () => {
    const alice = DEMO_USERS.alice.id;
    const bob = DEMO_USERS.bob.id;
    const userCart = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id cart { version itemCount } } } }`;
    const userOrders = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { orders(first: 5) { edges { node { id status } } } } } }`;

    it("shows the viewer their seeded cart through cart and User.cart, priced at today's prices", async () => {
      const root = await call<{ cart: CartView }>(alice, `{ cart { ${CART_FIELDS} } }`);
      expect(root.errors).toBeUndefined();
      expect(root.data!.cart.items.map((item) => [item.product.title, item.quantity])).toEqual([
        ['Wireless Headphones', 1],
        ['Travel Mug', 2],
      ]);
      expect(root.data!.cart.total).toEqual({ amountCents: 8999 + 2 * 1999, currency: 'USD', formatted: '$129.97' });
      expect(root.data!.cart.itemCount).toBe(3);
      const viaUser = await call<{ _entities: { cart: { itemCount: number } }[] }>(alice, userCart, { r: [{ __typename: 'User', id: alice }] });
      expect(viaUser.data?._entities[0]?.cart.itemCount).toBe(3);
    });

    it("refuses anyone else's User.cart and User.orders with FORBIDDEN, and an anonymous cart with UNAUTHENTICATED", async () => {
      const cart = await call<{ _entities: { cart: unknown }[] }>(bob, userCart, { r: [{ __typename: 'User', id: alice }] });
      expect(cart.data?._entities[0]?.cart).toBeNull();
      expect(cart.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const anonymousUserCart = await call<{ _entities: { cart: unknown }[] }>(null, userCart, { r: [{ __typename: 'User', id: alice }] });
      expect(anonymousUserCart.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const ordersOfBob = await call<{ _entities: { orders: unknown }[] }>(alice, userOrders, { r: [{ __typename: 'User', id: bob }] });
      expect(ordersOfBob.data?._entities[0]?.orders).toBeNull();
      expect(ordersOfBob.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const anonymous = await call(null, `{ cart { version } }`);
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it("shows an order to its buyer only, through order(id), User.orders and _entities", async () => {
      const query = `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
      const own = await call<{ order: OrderView | null }>(bob, query, { id: DEMO_ORDER_ID });
      expect(own.data?.order).toMatchObject({ id: DEMO_ORDER_ID, status: 'DELIVERED', buyer: { id: bob } });
      expect(own.data?.order?.items.map((item) => [item.product.title, item.quantity])).toEqual([
        ['Paperback Novel', 2],
        ['Espresso Beans 1 kg', 1],
      ]);
      expect(own.data?.order?.total.formatted).toBe('$50.97');
      const listed = await call<{ _entities: { orders: { edges: { node: { id: string } }[] } }[] }>(bob, userOrders, {
        r: [{ __typename: 'User', id: bob }],
      });
      expect(listed.data?._entities[0]?.orders.edges.map((edge) => edge.node.id)).toEqual([DEMO_ORDER_ID]);

      const other = await call<{ order: unknown }>(alice, query, { id: DEMO_ORDER_ID });
      expect(other.errors).toBeUndefined();
      expect(other.data?.order).toBeNull();
      const malformed = await call<{ order: unknown }>(bob, query, { id: 'nope' });
      expect(malformed.data?.order).toBeNull();
      const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id status } } }`;
      const asBuyer = await call<{ _entities: unknown[] }>(bob, entities, { r: [{ __typename: 'Order', id: DEMO_ORDER_ID }] });
      expect(asBuyer.data?._entities).toEqual([{ id: DEMO_ORDER_ID, status: 'DELIVERED' }]);
      const asOther = await call<{ _entities: unknown[] }>(alice, entities, { r: [{ __typename: 'Order', id: DEMO_ORDER_ID }] });
      expect(asOther.data?._entities).toEqual([null]);
      const asAnonymous = await call<{ _entities: unknown[] }>(null, entities, { r: [{ __typename: 'Order', id: DEMO_ORDER_ID }] });
      expect(asAnonymous.data?._entities).toEqual([null]);
    });
  });

  describe('cart', () => {
    const updateCartItem = (userId: string, productId: string, quantity: number, expectedVersion?: number) =>
      call<{ updateCartItem: CartView }>(
        userId,
        `mutation($p: ID!, $q: Int!, $v: Int) { updateCartItem(productId: $p, quantity: $q, expectedVersion: $v) { ${CART_FIELDS} } }`,
        { p: productId, q: quantity, v: expectedVersion ?? null },
      );

    it('bumps the version with every add, update and removal and keeps the totals right', async () => {
      const user = randomUUID();
      const mug = demoProductId('travel-mug');
      const lamp = demoProductId('smart-lamp');
      const empty = await call<{ cart: CartView }>(user, `{ cart { ${CART_FIELDS} } }`);
      expect(empty.data?.cart).toMatchObject({ version: 0, itemCount: 0, items: [], total: { amountCents: 0, formatted: '$0.00' } });

      const first = await addToCart(user, mug, 2);
      expect(first.data?.addToCart).toMatchObject({ version: 1, itemCount: 2, total: { amountCents: 3998, formatted: '$39.98' } });
      const second = await addToCart(user, mug, 1);
      expect(second.data?.addToCart).toMatchObject({ version: 2, itemCount: 3 });
      const third = await addToCart(user, lamp, 1);
      expect(third.data?.addToCart.items.map((item) => [item.product.title, item.quantity, item.lineTotal.amountCents])).toEqual([
        ['Travel Mug', 3, 5997],
        ['Smart Lamp', 1, 3499],
      ]);
      expect(third.data?.addToCart.version).toBe(3);

      const updated = await updateCartItem(user, mug, 5, 3);
      expect(updated.data?.updateCartItem).toMatchObject({ version: 4, itemCount: 6 });
      const removed = await updateCartItem(user, lamp, 0);
      expect(removed.data?.updateCartItem).toMatchObject({ version: 5, itemCount: 5 });
      const gone = await call<{ removeFromCart: CartView }>(user, `mutation($p: ID!) { removeFromCart(productId: $p) { ${CART_FIELDS} } }`, {
        p: mug,
      });
      expect(gone.data?.removeFromCart).toMatchObject({ version: 6, itemCount: 0, items: [] });
    });

    it('refuses an update against a stale expectedVersion with CONFLICT and the current version', async () => {
      const user = randomUUID();
      const mug = demoProductId('travel-mug');
      await addToCart(user, mug, 1);
      await addToCart(user, mug, 1);
      const stale = await updateCartItem(user, mug, 7, 1);
      expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
      const cart = await call<{ cart: CartView }>(user, `{ cart { ${CART_FIELDS} } }`);
      expect(cart.data?.cart).toMatchObject({ version: 2, itemCount: 2 });
    });

    it('refuses unknown products with NOT_FOUND, quantities outside 1..99 with BAD_USER_INPUT and more than the stock with CONFLICT', async () => {
      const user = randomUUID();
      expect((await addToCart(user, randomUUID(), 1)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect((await addToCart(user, 'not-a-uuid', 1)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const mug = demoProductId('travel-mug');
      expect((await addToCart(user, mug, 0)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'quantity' });
      expect((await addToCart(user, mug, 100)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'quantity' });
      expect((await updateCartItem(user, mug, 100)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'quantity' });
      expect((await addToCart(user, mug, 99)).errors).toBeUndefined();
      expect((await addToCart(user, mug, 1)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'quantity' });

      const scarce = await newProduct({ stock: 3 });
      expect((await addToCart(user, scarce.id, 4)).errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', productId: scarce.id, available: 3 });
      expect((await addToCart(user, scarce.id, 3)).errors).toBeUndefined();
      expect((await addToCart(user, scarce.id, 1)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect((await updateCartItem(user, scarce.id, 4)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
      const cart = await call<{ cart: CartView }>(user, `{ cart { ${CART_FIELDS} } }`);
      expect(cart.data?.cart.items.map((item) => item.quantity)).toEqual([99, 3]);
      const anonymous = await addToCart(null, mug, 1);
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('adds only once when addToCart is retried with the same clientMutationId', async () => {
      const user = randomUUID();
      const lamp = demoProductId('smart-lamp');
      const first = await addToCart(user, lamp, 2, 'add-lamp-1');
      const retry = await addToCart(user, lamp, 2, 'add-lamp-1');
      const concurrent = await Promise.all([addToCart(user, lamp, 1, 'add-lamp-2'), addToCart(user, lamp, 1, 'add-lamp-2')]);
      expect(first.data?.addToCart).toMatchObject({ version: 1, itemCount: 2 });
      expect(retry.data?.addToCart).toMatchObject({ version: 1, itemCount: 2 });
      expect(concurrent.map((result) => result.errors)).toEqual([undefined, undefined]);
      const cart = await call<{ cart: CartView }>(user, `{ cart { ${CART_FIELDS} } }`);
      expect(cart.data?.cart).toMatchObject({ version: 2, itemCount: 3 });
    });
  });

  describe('checkout', () => {
    it('decrements the stock once, records the current prices, empties the cart and bumps its version', async () => {
      const buyer = randomUUID();
      const a = await newProduct({ stock: 10, priceCents: 1250 });
      const b = await newProduct({ stock: 5, priceCents: 999 });
      await addToCart(buyer, a.id, 2);
      await addToCart(buyer, b.id, 1);

      const placed = await checkout(buyer, 'checkout-1');
      expect(placed.errors).toBeUndefined();
      const order = placed.data!.checkout;
      expect(order).toMatchObject({ status: 'PLACED', buyer: { id: buyer }, total: { amountCents: 3499, formatted: '$34.99' } });
      expect(order.items.map((item) => [item.product.id, item.quantity, item.unitPrice.amountCents, item.lineTotal.amountCents])).toEqual([
        [a.id, 2, 1250, 2500],
        [b.id, 1, 999, 999],
      ]);
      expect(await stockOf(a.id)).toBe(8);
      expect(await stockOf(b.id)).toBe(4);
      const cart = await call<{ cart: CartView }>(buyer, `{ cart { ${CART_FIELDS} } }`);
      expect(cart.data?.cart).toMatchObject({ version: 3, items: [] });

      const retry = await checkout(buyer, 'checkout-1');
      expect(retry.data?.checkout.id).toBe(order.id);
      expect(await stockOf(a.id)).toBe(8);
      const again = await checkout(buyer, 'checkout-2');
      expect(again.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('changes nothing and names the product when one line is short of stock', async () => {
      const buyer = randomUUID();
      const rival = randomUUID();
      const plenty = await newProduct({ stock: 10 });
      const scarce = await newProduct({ stock: 1, title: 'Zz Last Lamp' });
      await addToCart(buyer, plenty.id, 2);
      await addToCart(buyer, scarce.id, 1);
      await addToCart(rival, scarce.id, 1);
      expect((await checkout(rival, 'rival-checkout')).errors).toBeUndefined();

      const short = await checkout(buyer, 'buyer-checkout');
      expect(short.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', productId: scarce.id, available: 0 });
      expect(short.errors?.[0]?.message).toContain('Zz Last Lamp');
      expect(await stockOf(plenty.id)).toBe(10);
      const cart = await call<{ cart: CartView }>(buyer, `{ cart { ${CART_FIELDS} } }`);
      expect(cart.data?.cart.itemCount).toBe(3);
    });

    it('sells the last unit exactly once when two buyers check out at the same time', async () => {
      const last = await newProduct({ stock: 1 });
      const buyers = [randomUUID(), randomUUID()];
      for (const buyer of buyers) expect((await addToCart(buyer, last.id, 1)).errors).toBeUndefined();
      const results = await Promise.all(buyers.map((buyer) => checkout(buyer, `race-${buyer}`)));
      const codes = results.map((result) => result.errors?.[0]?.extensions?.code ?? 'OK').sort();
      expect(codes).toEqual(['CONFLICT', 'OK']);
      expect(await stockOf(last.id)).toBe(0);
    });

    it('creates one order when the same checkout is retried concurrently', async () => {
      const buyer = randomUUID();
      const product = await newProduct({ stock: 10 });
      await addToCart(buyer, product.id, 3);
      const results = await Promise.all([checkout(buyer, 'twice'), checkout(buyer, 'twice'), checkout(buyer, 'twice')]);
      expect(results.map((result) => result.errors)).toEqual([undefined, undefined, undefined]);
      expect(new Set(results.map((result) => result.data?.checkout.id)).size).toBe(1);
      expect(await stockOf(product.id)).toBe(7);
    });

    it('requires a clientMutationId of 1 to 128 characters', async () => {
      const buyer = randomUUID();
      await addToCart(buyer, demoProductId('yoga-mat'), 1);
      expect((await checkout(buyer, '')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect((await checkout(buyer, 'x'.repeat(129))).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('cancelling and fulfilment', () => {
    const cancel = (userId: string, orderId: string) =>
      call<{ cancelOrder: { id: string; status: string } }>(userId, `mutation($id: ID!) { cancelOrder(orderId: $id) { id status } }`, { id: orderId });

    async function placeOrder(quantity = 2) {
      const buyer = randomUUID();
      const product = await newProduct({ stock: 10 });
      await addToCart(buyer, product.id, quantity);
      const placed = await checkout(buyer, 'place');
      expect(placed.errors).toBeUndefined();
      return { buyer, product, order: placed.data!.checkout };
    }

    it('cancels for the buyer only, restores the stock, and refuses to cancel twice', async () => {
      const { buyer, product, order } = await placeOrder(4);
      expect(await stockOf(product.id)).toBe(6);
      expect((await cancel(randomUUID(), order.id)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect((await cancel(buyer, 'not-a-uuid')).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const cancelled = await cancel(buyer, order.id);
      expect(cancelled.data?.cancelOrder).toEqual({ id: order.id, status: 'CANCELLED' });
      expect(await stockOf(product.id)).toBe(10);
      expect((await cancel(buyer, order.id)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(await stockOf(product.id)).toBe(10);
      expect((await cancel(DEMO_USERS.bob.id, DEMO_ORDER_ID)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    });

    it('advances an order one step per delay on a fake clock, and not after it is cancelled', async () => {
      const { buyer, order } = await placeOrder();
      const placedAt = new Date(order.placedAt).getTime();
      const advance = async (offsetMs: number) => {
        const changes = await commerce.services.orders.advanceDueOrders(new Date(placedAt + offsetMs));
        return changes.filter((change) => change.orderId === order.id).map((change) => `${change.from}->${change.to}`);
      };
      expect(await advance(STEP_MS - 1)).toEqual([]);
      expect(await advance(STEP_MS)).toEqual(['PLACED->PAID']);
      expect(await advance(STEP_MS)).toEqual([]);
      expect(await advance(2 * STEP_MS - 1)).toEqual([]);
      expect(await advance(2 * STEP_MS)).toEqual(['PAID->SHIPPED']);
      expect((await cancel(buyer, order.id)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(await advance(3 * STEP_MS)).toEqual(['SHIPPED->DELIVERED']);
      expect(await advance(100 * STEP_MS)).toEqual([]);
      expect(await statusOf(order.id)).toBe('DELIVERED');

      const second = await placeOrder();
      await cancel(second.buyer, second.order.id);
      const late = await commerce.services.orders.advanceDueOrders(new Date(Date.now() + 100 * STEP_MS));
      expect(late.map((change) => change.orderId)).not.toContain(second.order.id);
      expect(await statusOf(second.order.id)).toBe('CANCELLED');
    });

    it('never advances an order twice when several workers scan at once', async () => {
      const placed = await Promise.all([placeOrder(), placeOrder(), placeOrder()]);
      const ids = placed.map(({ order }) => order.id);
      const now = new Date(Date.now() + 1000 * STEP_MS);
      const scans = await Promise.all([1, 2, 3, 4].map(() => commerce.services.orders.advanceDueOrders(now)));
      const steps = scans.flat().filter((change) => ids.includes(change.orderId));
      expect(steps.map((change) => change.orderId).sort()).toEqual([...ids].sort());
      expect(steps.every((change) => change.from === 'PLACED' && change.to === 'PAID')).toBe(true);
      for (const id of ids) expect(await statusOf(id)).toBe('PAID');
    });

    // PGlite serves one connection, so another instance's row lock can only be held on the server.
    if (driver === 'postgres') {
      it('skips an order that another worker holds locked instead of waiting for it', async () => {
        const [held, free] = await Promise.all([placeOrder(), placeOrder()]);
        const now = new Date(Date.now() + 2000 * STEP_MS);
        await commerce.database.db.transaction(async (tx) => {
          await tx.select().from(orders).where(eq(orders.id, held.order.id)).for('update');
          const steps = await commerce.services.orders.advanceDueOrders(now);
          expect(steps.map((change) => change.orderId)).toContain(free.order.id);
          expect(steps.map((change) => change.orderId)).not.toContain(held.order.id);
        });
        const later = await commerce.services.orders.advanceDueOrders(now);
        expect(later.map((change) => change.orderId)).toContain(held.order.id);
      });
    }

    it('runs the fulfilment worker in the background and stops it with the server', async () => {
      const own = await create();
      const instance = await startCommerce({
        port: 0,
        gatewaySecret: TEST_GATEWAY_SECRET,
        database: own.options,
        seedDemoData: true,
        fulfilmentStepMs: 25,
      });
      try {
        const alice = DEMO_USERS.alice.id;
        const placed = await querySubgraph<{ checkout: { id: string } }>(instance.url, alice, `mutation { checkout(clientMutationId: "bg") { id } }`);
        const orderId = placed.data!.checkout.id;
        const query = `query($id: ID!) { order(id: $id) { status } }`;
        await vi.waitFor(
          async () => {
            const result = await querySubgraph<{ order: { status: string } }>(instance.url, alice, query, { id: orderId });
            expect(result.data?.order.status).toBe('DELIVERED');
          },
          { timeout: 10_000, interval: 25 },
        );
      } finally {
        await stopAndDrop(instance, own);
      }
    });
  });

  describe('query counts', () => {
    it('resolves 100 product references with one SQL query', async () => {
      const ids = [...DEMO_PRODUCTS.map((product) => demoProductId(product.slug)), ...Array.from({ length: 92 }, () => randomUUID())];
      const before = commerce.database.queries.count;
      const result = await querySubgraph<{ _entities: ({ id: string } | null)[] }>(
        commerce.url,
        null,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id title price { formatted } images { id } stock } } }`,
        { r: ids.map((id) => ({ __typename: 'Product', id })) },
      );
      expect(commerce.database.queries.count - before).toBe(1);
      expect(result.data?._entities).toHaveLength(100);
      expect(result.data?._entities.filter(Boolean)).toHaveLength(DEMO_PRODUCTS.length);
    });

    it('lists a page of 50 orders with their items and products in three SQL queries', async () => {
      const buyer = randomUUID();
      const products = await Promise.all(Array.from({ length: 4 }, () => newProduct({ stock: 1000 })));
      for (let i = 0; i < 60; i += 1) {
        await commerce.services.orders.record({
          buyerId: buyer,
          status: 'PLACED',
          placedAt: new Date(Date.UTC(2025, 0, 1, 0, i)),
          currency: 'USD',
          items: [
            { productId: products[i % 4]!.id, quantity: 1, unitPriceCents: 100 },
            { productId: products[(i + 1) % 4]!.id, quantity: 2, unitPriceCents: 200 },
          ],
        });
      }
      const query = `query($r: [_Any!]!, $first: Int, $after: String) { _entities(representations: $r) { ... on User {
        orders(first: $first, after: $after) { edges { node { ${ORDER_FIELDS} } } pageInfo { hasNextPage endCursor } }
      } } }`;
      type Result = { _entities: { orders: { edges: { node: OrderView }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }[] };
      const before = commerce.database.queries.count;
      const page = await querySubgraph<Result>(commerce.url, buyer, query, { r: [{ __typename: 'User', id: buyer }], first: 50 });
      expect(commerce.database.queries.count - before).toBe(3);
      expect(page.errors).toBeUndefined();
      const orderPage = page.data!._entities[0]!.orders;
      expect(orderPage.edges).toHaveLength(50);
      expect(orderPage.edges.every((edge) => edge.node.items.length === 2 && edge.node.total.amountCents === 500)).toBe(true);
      expect(orderPage.pageInfo.hasNextPage).toBe(true);

      const rest = await querySubgraph<Result>(commerce.url, buyer, query, {
        r: [{ __typename: 'User', id: buyer }],
        first: 50,
        after: orderPage.pageInfo.endCursor,
      });
      const all = [...orderPage.edges, ...rest.data!._entities[0]!.orders.edges].map((edge) => edge.node.placedAt);
      expect(all).toHaveLength(60);
      expect(all).toEqual([...all].sort().reverse());
    });
  });
});
