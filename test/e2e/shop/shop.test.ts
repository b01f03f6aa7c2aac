import type { Locator, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, DEMO_USERS, eventually, postGraphQL, startWeb, type Web } from '@mega/test-utils';

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
    for (const user of ['alice', 'bob', 'carol', 'dave'] as const) tokens[user] = await accessTokenFor(web.gatewayUrl, DEMO_USERS[user]);
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
    // (null: page 1 refreshed from the network after Previous showed it from the cache.)
    expect(new Set(searches.filter((search) => search !== null))).toEqual(new Set(['yoga']));

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
    const matLine = page.getByRole('list', { name: 'Items in your cart' }).getByRole('listitem').filter({ hasText: 'Yoga Mat' });
    await expect(matLine.textContent()).resolves.toContain(`Line total: $${((mat.price.amountCents * 3) / 100).toFixed(2)}`);

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

  it('merges a quantity change with a cart changed elsewhere when the lines differ, refuses it when the same line changed, refuses a checkout the stock or an empty cart cannot serve, saying why and showing the cart as it is', { timeout: 60_000 }, async () => {
    const lamp = await productTitled('Smart Lamp');
    const { orders: ordersBefore } = (await asUser<{ me: { orders: { edges: unknown[] } } }>('bob', '{ me { orders(first: 100) { edges { cursor } } } }')).me;
    await asUser('bob', 'mutation($p: ID!) { addToCart(productId: $p, quantity: 1, clientMutationId: "bob-lamp") { version } }', { p: lamp.id });
    const page = await web.newPage();
    await web.signIn(page, DEMO_USERS.bob);
    await page.goto(`${web.appUrl('shop')}/cart`);
    const quantity = page.getByRole('combobox', { name: 'Quantity of Smart Lamp' });
    await expect(quantity.inputValue()).resolves.toBe('1');

    // Another device sets 2; this page still shows 1 and the version it had: the same line changed, so the server wins and Bob is told.
    await asUser('bob', 'mutation($p: ID!) { updateCartItem(productId: $p, quantity: 2) { version } }', { p: lamp.id });
    await quantity.selectOption('3');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Your cart was changed on another device: Smart Lamp is now 2, so your change to 3 was not saved.');
    await eventually(async () => expect(await quantity.inputValue()).toBe('2'));
    await expect(cartCount(page)).resolves.toBe('2');
    expect((await cartOf('bob')).items.find((item) => item.product.id === lamp.id)?.quantity).toBe(2);

    // Another device adds a different product; this page, on the old version, changes the lamp: the
    // lines do not overlap, so both changes are kept (merged and sent again on the new version).
    const other = (await catalogue()).products.find((product) => product.id !== lamp.id && product.stock >= 2)!;
    const versionBefore = (await cartOf('bob')).version;
    await asUser('bob', 'mutation($p: ID!) { addToCart(productId: $p, quantity: 1, clientMutationId: "bob-other-device") { version } }', { p: other.id });
    await quantity.selectOption('3');
    await page.getByRole('combobox', { name: `Quantity of ${other.title}` }).waitFor();
    await eventually(async () => expect(await cartCount(page)).toBe('4'));
    await expect(quantity.inputValue()).resolves.toBe('3');
    expect(await page.getByRole('alert').count()).toBe(0);
    const merged = await cartOf('bob');
    expect(merged.items.map((item) => [item.product.id, item.quantity]).sort()).toEqual([[lamp.id, 3], [other.id, 1]].sort());
    expect(merged.version).toBe(versionBefore + 2);

    // Back to two lamps only, from this page (now on the current version: no conflict).
    await quantity.selectOption('2');
    await page.getByRole('button', { name: `Remove ${other.title}` }).click();
    await eventually(async () => expect(await cartCount(page)).toBe('2'));
    await eventually(async () => expect((await cartOf('bob')).items.map((item) => [item.product.id, item.quantity])).toEqual([[lamp.id, 2]]));

    // Carol buys all the lamps but one: Bob's checkout is refused, naming the product, and his cart stays.
    await asUser('carol', 'mutation($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { version } }', { p: lamp.id, q: lamp.stock - 1 });
    await asUser('carol', 'mutation { checkout(clientMutationId: "carol-lamps") { id } }');
    await page.getByRole('button', { name: 'Check out' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Not everything in your cart is available. Not enough Smart Lamp in stock: 1 left, 2 in the cart.');
    await page.getByText('Only 1 left in stock').waitFor();
    expect(new URL(page.url()).pathname).toBe('/shop/cart');
    expect((await cartOf('bob')).itemCount).toBe(2);

    // Emptied on another device: checking out says the cart is empty and shows it empty.
    await asUser('bob', 'mutation($p: ID!) { removeFromCart(productId: $p) { version } }', { p: lamp.id });
    await page.getByRole('button', { name: 'Check out' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Your cart is empty: add something from the catalogue first.');
    await page.getByText('Your cart is empty.').waitFor();
    await expect(cartCount(page)).resolves.toBe('0');
    const { orders: ordersAfter } = (await asUser<{ me: { orders: { edges: unknown[] } } }>('bob', '{ me { orders(first: 100) { edges { cursor } } } }')).me;
    expect(ordersAfter.edges).toHaveLength(ordersBefore.edges.length);
    await page.context().close();
  });

  it('shares a product into a chat the user picks, says nothing when the picker is closed, and opens the conversation', { timeout: 60_000 }, async () => {
    const mug = await productTitled('Travel Mug');
    const { conversations } = await asUser<{ conversations: { edges: { node: { id: string; title: string | null; members: { id: string }[] } }[] } }>(
      'alice',
      '{ conversations(first: 50) { edges { node { id title members { id } } } } }',
    );
    const withBob = conversations.edges.find(({ node }) => node.title === null && node.members.some((member) => member.id === DEMO_USERS.bob.id))!.node.id;
    const page = await web.newPage();
    await web.signIn(page, DEMO_USERS.alice);
    await page.goto(`${web.appUrl('shop')}/p/${mug.id}`);
    await page.getByRole('heading', { level: 2, name: 'Travel Mug' }).waitFor();
    const share = page.getByRole('button', { name: 'Share in chat' });

    await share.click();
    const dialog = page.getByRole('dialog', { name: 'Share a product' });
    await dialog.getByRole('list', { name: 'Share with' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(page.getByRole('article').getByRole('alert').count()).resolves.toBe(0);
    await expect(page.getByRole('article').getByText('Shared in chat.').count()).resolves.toBe(0);

    await share.click();
    await dialog.getByRole('list', { name: 'Share with' }).getByRole('link', { name: new RegExp(`^${DEMO_USERS.bob.displayName}`) }).click();
    await dialog.getByRole('button', { name: 'Share', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('article').getByText('Shared in chat.').waitFor();
    await page.getByRole('region', { name: 'Notifications' }).getByText('Travel Mug was shared in chat.').waitFor();
    const { conversation } = await asUser<{ conversation: { messages: { edges: { node: { attachments: ({ __typename: string; id: string } | null)[] } }[] } } }>(
      'alice',
      'query($id: ID!) { conversation(id: $id) { messages(first: 1) { edges { node { attachments { __typename ... on Product { id } } } } } } }',
      { id: withBob },
    );
    expect(conversation.messages.edges.at(-1)?.node.attachments).toEqual([{ __typename: 'Product', id: mug.id }]);

    await page.getByRole('button', { name: 'Open the conversation' }).click();
    await eventually(() => expect(new URL(page.url()).pathname).toBe(`/chat/c/${withBob}`));
    await page.context().close();
  });

  it('cancels a paid order after asking, and its items go back into stock', { timeout: 60_000 }, async () => {
    const novel = await productTitled('Paperback Novel');
    // Placed an hour from now, so that the fulfilment worker leaves it PAID while the test runs.
    const orderId = await web.federation!.commerce.services.orders.record({
      buyerId: DEMO_USERS.dave.id,
      status: 'PAID',
      placedAt: new Date(Date.now() + 60 * 60 * 1000),
      currency: novel.price.currency,
      items: [{ productId: novel.id, quantity: 2, unitPriceCents: novel.price.amountCents }],
    });
    const page = await web.newPage();
    await web.signIn(page, DEMO_USERS.dave);
    await page.goto(`${web.appUrl('shop')}/orders`);
    const listed = page.getByRole('list', { name: 'Orders' }).getByRole('listitem').filter({ hasText: 'Paperback Novel' });
    await expect(listed.textContent()).resolves.toContain('Paid');
    await listed.getByRole('link').click();
    expect(new URL(page.url()).pathname).toBe(`/shop/orders/${orderId}`);
    await page.getByRole('status').filter({ hasText: 'Status: Paid' }).waitFor();
    await expect(page.locator('.shop-timeline [aria-current="step"]').textContent()).resolves.toMatch(/^Paid/);

    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page.getByRole('button', { name: 'Keep the order' }).click();
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page.getByRole('group', { name: 'Cancel this order?' }).getByRole('button', { name: 'Yes, cancel the order' }).click();
    await page.getByRole('status').filter({ hasText: 'Status: Cancelled' }).waitFor();
    await page.getByText('This order was cancelled; its items went back into stock.').waitFor();
    await expect(page.getByRole('button', { name: 'Cancel order' }).count()).resolves.toBe(0);

    const { order } = await asUser<{ order: { status: string } }>('dave', 'query($id: ID!) { order(id: $id) { status } }', { id: orderId });
    expect(order.status).toBe('CANCELLED');
    expect((await productTitled('Paperback Novel')).stock).toBe(novel.stock + 2);
    await page.context().close();
  });

  it('fits a 390 px wide screen, with every control labelled, headings in order and the keyboard taking the user to the new page', { timeout: 60_000 }, async () => {
    const page = await web.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await web.signIn(page, DEMO_USERS.carol);
    /** Problems a screen reader or a small screen would have with the shop as shown now. */
    const audit = () =>
      page.evaluate<string[]>(`(() => {
        const problems = [];
        const shop = document.querySelector('.shop');
        if (document.documentElement.scrollWidth > window.innerWidth) problems.push('scrolls sideways: ' + document.documentElement.scrollWidth + ' px');
        let level = 0;
        for (const heading of shop.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
          const next = Number(heading.tagName[1]);
          if (next > level + 1) problems.push('heading level ' + next + ' after ' + level + ': ' + heading.textContent);
          level = next;
        }
        for (const control of shop.querySelectorAll('button, input, select, textarea, a[href]')) {
          const name = (control.getAttribute('aria-label') || (control.labels && [...control.labels].map((label) => label.textContent).join(' ')) || control.textContent || '').trim();
          if (!name) problems.push('unlabelled ' + control.outerHTML.slice(0, 80));
        }
        return problems;
      })()`);

    await page.goto(web.appUrl('shop'));
    await page.getByRole('list', { name: 'Products' }).getByRole('heading', { level: 3 }).first().waitFor();
    await expect(audit()).resolves.toEqual([]);
    const link = page.getByRole('list', { name: 'Products' }).getByRole('link').first();
    const title = await link.textContent();
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: title! }).waitFor();
    await expect(focusedHeading(page)).resolves.toBe(title);
    await page.getByRole('spinbutton', { name: 'Quantity' }).waitFor();
    await expect(audit()).resolves.toEqual([]);
    await page.getByRole('button', { name: 'Add to cart' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(`Added 1 × ${title} to your cart.`).waitFor();

    await page.getByRole('navigation', { name: 'Shop sections' }).getByRole('link', { name: /^Cart/ }).press('Enter');
    await page.getByRole('list', { name: 'Items in your cart' }).waitFor();
    await expect(focusedHeading(page)).resolves.toBe('Your cart');
    await expect(audit()).resolves.toEqual([]);
    await page.getByRole('navigation', { name: 'Shop sections' }).getByRole('link', { name: 'Orders' }).press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Your orders' }).waitFor();
    await expect(audit()).resolves.toEqual([]);
    await page.context().close();
  });

  it('says when the gateway cannot be reached, keeps what it showed, and loads the page again on Try again', { timeout: 60_000 }, async () => {
    const page = await web.newPage();
    await web.signIn(page, DEMO_USERS.carol);
    await page.goto(web.appUrl('shop'));
    const first = await catalogue();
    await eventually(async () => expect(await gridTitles(page)).toEqual(first.titles));

    await page.route(web.gatewayUrl, (route) => route.abort());
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('You are offline: the shop shows what it last loaded').waitFor();
    const failure = page.getByRole('alert').filter({ hasText: 'The catalogue could not be loaded.' });
    await expect(failure.textContent()).resolves.toContain('The shop cannot be reached; check the connection and try again.');
    expect(await gridTitles(page)).toEqual(first.titles);

    await page.unroute(web.gatewayUrl);
    const second = await catalogue({ after: first.pageInfo.endCursor });
    await failure.getByRole('button', { name: 'Try again' }).click();
    await eventually(async () => expect(await gridTitles(page)).toEqual(second.titles));
    await page.getByText('You are offline').waitFor({ state: 'detached' });
    await expect(page.getByText('The catalogue could not be loaded.').count()).resolves.toBe(0);
    await page.context().close();
  });
});
