import type { Locator, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, eventually, postGraphQL, startWeb, type Web } from '@mega/test-utils';

/**
 * The commerce fulfilment worker's step in this test (PLACED -> PAID -> SHIPPED -> DELIVERED), so
 * that an order is delivered within seconds; the default is 5 s a step.
 */
const FULFILMENT_STEP_MS = 1500;
/** The shop's catalogue page size (remotes/shop/src/catalogue.tsx). */
const PAGE_SIZE = 6;
const STEPS = ['Placed', 'Paid', 'Shipped', 'Delivered'];

type DemoUser = keyof typeof DEMO_USERS;

interface ProductRow {
  id: string;
  title: string;
  stock: number;
  price: { amountCents: number; currency: string; formatted: string };
}

interface CartRow {
  version: number;
  itemCount: number;
  total: { formatted: string };
  items: { quantity: number; product: { id: string; title: string } }[];
}

describe('the shop mini-app in the shell', () => {
  let web: Web;
  const tokens = {} as Record<DemoUser, string>;

  /** The gateway as `user`: the server's state, not what a page shows. */
  async function asUser<T>(user: DemoUser, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await postGraphQL<T>(web.gatewayUrl, { query, variables }, { authorization: `Bearer ${tokens[user]}` });
    expect(response.errors).toBeUndefined();
    return response.data!;
  }

  async function catalogue(variables: { search?: string; after?: string } = {}) {
    const { products } = await asUser<{ products: { edges: { node: ProductRow }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
      'alice',
      'query($search: String, $after: String, $first: Int) { products(search: $search, after: $after, first: $first) { edges { node { id title stock price { amountCents currency formatted } } } pageInfo { hasNextPage endCursor } } }',
      { ...variables, first: PAGE_SIZE },
    );
    return { titles: products.edges.map(({ node }) => node.title), products: products.edges.map(({ node }) => node), pageInfo: products.pageInfo };
  }

  async function productTitled(title: string): Promise<ProductRow> {
    const { products } = await catalogue({ search: title });
    return products.find((product) => product.title === title)!;
  }

  async function cartOf(user: DemoUser): Promise<CartRow> {
    const { cart } = await asUser<{ cart: CartRow }>(user, '{ cart { version itemCount total { formatted } items { quantity product { id title } } } }');
    return cart;
  }

  /** The titles in the catalogue grid, in order. */
  const gridTitles = (page: Page) => page.getByRole('list', { name: 'Products' }).getByRole('heading', { level: 3 }).allTextContents();

  /** The number the cart link in the shop's header shows. */
  const cartCount = async (page: Page) => (await page.getByRole('navigation', { name: 'Shop sections' }).locator('.shop-badge').textContent())?.replace(/\D/g, '');

  /** Where an element is on the page (not in the viewport, which scrolls). */
  const pagePosition = (locator: Locator) =>
    locator.evaluate((element: { getBoundingClientRect(): { left: number; top: number }; ownerDocument: { defaultView: { scrollX: number; scrollY: number } } }) => {
      const box = element.getBoundingClientRect();
      return { x: box.left + element.ownerDocument.defaultView.scrollX, y: box.top + element.ownerDocument.defaultView.scrollY };
    });

  /** The h2 that has the keyboard focus, if any. */
  const focusedHeading = (page: Page) => page.locator('h2:focus').textContent({ timeout: 2000 });

  beforeAll(async () => {
    web = await startWeb({ remotes: ['shop', 'chat'], federation: { fulfilmentStepMs: FULFILMENT_STEP_MS } });
    for (const user of ['alice', 'bob', 'carol', 'dave'] as const) {
      const login = await postGraphQL<{ logIn: { accessToken: string } }>(web.gatewayUrl, {
        query: 'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { accessToken } }',
        variables: { e: DEMO_USERS[user].email, p: DEMO_USERS[user].password },
      });
      tokens[user] = login.data!.logIn.accessToken;
    }
  });
  afterAll(() => web?.stop());

  it('searches and pages the catalogue, adds a product to the cart, changes its quantity, checks out and shows the order delivered live', { timeout: 90_000 }, async () => {
    const page = await web.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await web.signIn(page, DEMO_USERS.alice);
    await page.goto(web.appUrl('shop'));
    await page.getByRole('heading', { level: 1, name: 'Shop' }).waitFor();

    // The first page is the catalogue's first page, each product with its picture, price and stock.
    const first = await catalogue();
    const second = await catalogue({ after: first.pageInfo.endCursor });
    expect(first.pageInfo.hasNextPage).toBe(true);
    await eventually(async () => expect(await gridTitles(page)).toEqual(first.titles));
    const firstCard = page.getByRole('list', { name: 'Products' }).getByRole('listitem').first();
    await expect(firstCard.textContent()).resolves.toContain(first.products[0]!.price.formatted);
    await expect(firstCard.textContent()).resolves.toContain(`${first.products[0]!.stock} in stock`);
    await eventually(() => expect(firstCard.locator('img').evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0)).resolves.toBe(true));

    // The next page: while it loads, the current one stays where it is (no jump), marked busy.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(web.gatewayUrl, async (route) => {
      const body = route.request().method() === 'POST' ? (route.request().postDataJSON() as { operationName?: string; variables?: { after?: string } }) : undefined;
      if (body?.operationName === 'ShopProducts' && body.variables?.after) await held;
      await route.fallback();
    });
    const next = page.getByRole('button', { name: 'Next page' });
    const nextBefore = await pagePosition(next);
    await next.click();
    await page.locator('ul[aria-label="Products"][aria-busy="true"]').waitFor();
    await page.getByText('Loading page 2…').waitFor();
    expect(await gridTitles(page)).toEqual(first.titles);
    expect(await pagePosition(next)).toEqual(nextBefore);
    release();
    await eventually(async () => expect(await gridTitles(page)).toEqual(second.titles));
    await page.unroute(web.gatewayUrl);
    await page.getByText('Page 2:').waitFor();
    await page.getByRole('button', { name: 'Previous page' }).click();
    await eventually(async () => expect(await gridTitles(page)).toEqual(first.titles));

    // Searching waits for the typing to pause: one query for the whole word, none for its beginnings.
    const searches: (string | null)[] = [];
    const recordSearch = (request: Request) => {
      const body = request.method() === 'POST' ? (request.postDataJSON() as { operationName?: string; variables?: { search?: string | null } } | null) : null;
      if (body?.operationName === 'ShopProducts') searches.push(body.variables?.search ?? null);
    };
    page.on('request', recordSearch);
    await page.getByRole('searchbox', { name: 'Search products' }).pressSequentially('yoga', { delay: 40 });
    const found = await catalogue({ search: 'yoga' });
    expect(found.titles).toContain('Yoga Mat');
    await eventually(async () => expect(await gridTitles(page)).toEqual(found.titles));
    page.off('request', recordSearch);
    expect(new Set(searches)).toEqual(new Set(['yoga']));

    // The product page: its own route, the focus on its heading, back and forward.
    const mat = await productTitled('Yoga Mat');
    await page.getByRole('link', { name: 'Yoga Mat' }).click();
    await page.getByRole('heading', { level: 2, name: 'Yoga Mat' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/shop/p/${mat.id}`);
    await expect(focusedHeading(page)).resolves.toBe('Yoga Mat');
    await expect(page.getByRole('article').textContent()).resolves.toContain(mat.price.formatted);
    await expect(page.getByRole('article').textContent()).resolves.toContain(`${mat.stock} in stock`);
    await expect(page.getByRole('article').textContent()).resolves.toContain('A 6 mm non-slip mat');
    await eventually(() => expect(page.getByRole('img', { name: 'Yoga Mat' }).evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0)).resolves.toBe(true));
    await page.goBack();
    await page.getByRole('heading', { level: 2, name: 'Catalogue' }).waitFor();
    await expect(page.getByRole('searchbox', { name: 'Search products' }).inputValue()).resolves.toBe('yoga');
    expect(await gridTitles(page)).toEqual(found.titles);
    await page.goForward();
    await page.getByRole('heading', { level: 2, name: 'Yoga Mat' }).waitFor();

    // Add to cart: Alice's cart already holds the demo items; the header counts every unit.
    const before = await cartOf('alice');
    await expect(cartCount(page)).resolves.toBe(String(before.itemCount));
    await page.getByRole('spinbutton', { name: 'Quantity' }).fill('1');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByText('Added 1 × Yoga Mat to your cart.').waitFor();
    await eventually(async () => expect(await cartCount(page)).toBe(String(before.itemCount + 1)));

    // The cart: change the quantity; the line, the total and the header follow the server.
    await page.getByRole('navigation', { name: 'Shop sections' }).getByRole('link', { name: /^Cart/ }).click();
    await page.getByRole('heading', { level: 2, name: 'Your cart' }).waitFor();
    await expect(focusedHeading(page)).resolves.toBe('Your cart');
    await page.getByRole('combobox', { name: 'Quantity of Yoga Mat' }).selectOption('3');
    await eventually(async () => expect(await cartCount(page)).toBe(String(before.itemCount + 3)));
    const cart = await cartOf('alice');
    expect(cart.items.find((item) => item.product.id === mat.id)?.quantity).toBe(3);
    expect(cart.itemCount).toBe(before.itemCount + 3);
    await expect(page.getByRole('list', { name: 'Items in your cart' }).getByRole('listitem').count()).resolves.toBe(cart.items.length);
    await expect(page.locator('.shop-cart-total').textContent()).resolves.toContain(cart.total.formatted);
    await expect(page.getByLabel('Line total of Yoga Mat').textContent()).resolves.toBe(`$${((mat.price.amountCents * 3) / 100).toFixed(2)}`);

    // Checkout goes to the order, whose status then changes live, step by step, to DELIVERED.
    await page.evaluate(`(() => {
      const seen = (window.__shopStatuses = []);
      window.__shopSamePage = true;
      new MutationObserver(() => {
        const status = document.querySelector('.shop-order-status strong')?.textContent;
        if (status && seen.at(-1) !== status) seen.push(status);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    await page.getByRole('button', { name: 'Check out' }).click();
    await page.getByRole('heading', { level: 2, name: /^Order of / }).waitFor();
    const orderId = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!);
    expect(new URL(page.url()).pathname).toBe(`/shop/orders/${orderId}`);
    await expect(focusedHeading(page)).resolves.toMatch(/^Order of /);
    await expect(cartCount(page)).resolves.toBe('0');
    const placed = await page.getByRole('status').filter({ hasText: 'Status:' }).textContent();
    if (/Placed|Paid/.test(placed ?? '')) await page.getByRole('button', { name: 'Cancel order' }).waitFor();

    await page.getByRole('status').filter({ hasText: 'Status: Delivered' }).waitFor({ timeout: 8 * FULFILMENT_STEP_MS + 5000 });
    const seen = await page.evaluate<string[]>('window.__shopStatuses');
    await expect(page.evaluate('window.__shopSamePage')).resolves.toBe(true); // no reload: the changes came live
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(['Placed', 'Paid']).toContain(seen[0]);
    expect(seen).toEqual(STEPS.slice(STEPS.indexOf(seen[0]!)));
    await expect(page.locator('.shop-timeline [aria-current="step"]').textContent()).resolves.toMatch(/^Delivered/);
    await expect(page.getByRole('button', { name: 'Cancel order' }).count()).resolves.toBe(0);
    for (const item of cart.items) await expect(page.getByRole('list', { name: 'Items in this order' }).textContent()).resolves.toContain(item.product.title);

    // The server holds the order with the cart's items, delivered; the cart is empty and the stock went down.
    const { order } = await asUser<{ order: { status: string; total: { formatted: string }; items: { quantity: number; product: { id: string } }[] } }>(
      'alice',
      'query($id: ID!) { order(id: $id) { status total { formatted } items { quantity product { id } } } }',
      { id: orderId },
    );
    expect(order.status).toBe('DELIVERED');
    expect(order.total.formatted).toBe(cart.total.formatted);
    const byProduct = (items: { quantity: number; product: { id: string } }[]) => Object.fromEntries(items.map((item) => [item.product.id, item.quantity]));
    expect(byProduct(order.items)).toEqual(byProduct(cart.items));
    expect((await cartOf('alice')).itemCount).toBe(0);
    expect((await productTitled('Yoga Mat')).stock).toBe(mat.stock - 3);

    // The order list has it, delivered.
    await page.getByRole('navigation', { name: 'Shop sections' }).getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('heading', { level: 2, name: 'Your orders' }).waitFor();
    const listed = page.getByRole('list', { name: 'Orders' }).getByRole('listitem').filter({ hasText: 'Yoga Mat' });
    await expect(listed.textContent()).resolves.toContain('Delivered');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
