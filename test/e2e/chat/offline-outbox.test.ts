import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, DEMO_USERS, eventually, queryAs, startWeb, type Web } from '@mega/test-utils';
import { DIRECT_CONVERSATIONS_QUERY, directConversationId, openConversation, thread } from './chat-pages.js';

interface ProductRow {
  id: string;
  title: string;
  stock: number;
}

interface CartRow {
  items: { quantity: number; product: { id: string } }[];
}

/** How many users' outboxes this browser profile keeps (IndexedDB `mega-outbox`/`queues`). Run in the page (test/ is typed for Node, not the DOM). */
const STORED_OUTBOXES = `(async () => {
  if (!(await indexedDB.databases()).some((database) => database.name === 'mega-outbox')) return 0;
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('mega-outbox');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const count = open.result.transaction('queues').objectStore('queues').count();
      count.onerror = () => reject(count.error);
      count.onsuccess = () => {
        open.result.close();
        resolve(count.result);
      };
    };
  });
})()`;

/**
 * The shell's outbox (shell-web/src/outbox.ts): actions taken while the gateway cannot be reached
 * wait, shown as pending, survive a reload, and are sent in order, each once, when it comes back;
 * one the server refuses is shown with its reason, Retry and Discard, and does not hold the rest.
 */
describe('offline actions (the outbox)', () => {
  let web: Web;
  const tokens: Record<string, string> = {};
  let aliceAndBob: string;

  const asUser = <T>(user: keyof typeof DEMO_USERS, query: string, variables: Record<string, unknown> = {}) => queryAs<T>(web.gatewayUrl, tokens[user]!, query, variables);
  const cartOf = async (user: keyof typeof DEMO_USERS) => (await asUser<{ cart: CartRow }>(user, '{ cart { items { quantity product { id } } } }')).cart;
  const quantityIn = (cart: CartRow, productId: string) => cart.items.find((item) => item.product.id === productId)?.quantity ?? 0;
  async function products(): Promise<ProductRow[]> {
    const data = await asUser<{ products: { edges: { node: ProductRow }[] } }>('alice', '{ products(first: 50) { edges { node { id title stock } } } }');
    return data.products.edges.map(({ node }) => node);
  }
  const cut = (page: Page) => page.route(web.gatewayUrl, (route) => route.abort());
  const restore = (page: Page) => page.unroute(web.gatewayUrl);
  const connection = (page: Page) => page.getByRole('status', { name: 'Connection' });
  async function openProduct(page: Page, product: ProductRow) {
    await page.goto(`${web.appUrl('shop')}/p/${encodeURIComponent(product.id)}`);
    await page.getByRole('heading', { level: 2, name: product.title }).waitFor();
  }
  async function addToCart(page: Page, quantity: number) {
    await page.getByRole('spinbutton', { name: 'Quantity' }).fill(String(quantity));
    await page.getByRole('button', { name: 'Add to cart' }).click();
  }

  beforeAll(async () => {
    web = await startWeb({ remotes: ['chat', 'shop'] });
    for (const user of ['alice', 'bob'] as const) tokens[user] = await accessTokenFor(web.gatewayUrl, DEMO_USERS[user]);
    aliceAndBob = directConversationId(await asUser('alice', DIRECT_CONVERSATIONS_QUERY));
  });
  afterAll(() => web?.stop());

  it('keeps three messages and an add to cart made offline, shows them pending across a reload, and sends each once, in order, when the gateway is back', { timeout: 120_000 }, async () => {
    const alice = await web.newPage();
    const bob = await web.newPage();
    await web.signIn(alice, DEMO_USERS.alice);
    await web.signIn(bob, DEMO_USERS.bob);
    await openConversation(web, bob, DEMO_USERS.alice.displayName);

    const inCart = new Set((await cartOf('alice')).items.map((item) => item.product.id));
    const product = (await products()).find((candidate) => candidate.stock >= 2 && !inCart.has(candidate.id))!;
    const cartBefore = await cartOf('alice');

    // Online: the product page, then the conversation (both in the cache).
    await openProduct(alice, product);
    await alice.getByRole('navigation', { name: 'Mini-apps' }).getByRole('link', { name: /Chat/ }).click();
    await alice.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`^${DEMO_USERS.bob.displayName}`) }).click();
    await alice.getByRole('heading', { level: 2, name: DEMO_USERS.bob.displayName }).waitFor();

    // The gateway cannot be reached: three messages wait, shown "Sending…".
    await cut(alice);
    const stamp = Date.now();
    const bodies = [1, 2, 3].map((index) => `Offline ${index} ${stamp}`);
    const input = alice.getByRole('textbox', { name: 'Message' });
    for (const body of bodies) {
      await input.fill(body);
      await input.press('Enter');
      await thread(alice).locator('li.chat-message', { hasText: body }).getByText('Sending…').waitFor();
    }
    await eventually(async () => expect(await connection(alice).textContent()).toContain('3 waiting'));

    // Back to the product page (from the cache): the add waits too.
    await alice.goBack();
    await alice.goBack();
    await alice.getByRole('heading', { level: 2, name: product.title }).waitFor();
    await addToCart(alice, 2);
    await alice.getByText(/waiting to be added to your cart/).waitFor();
    await eventually(async () => expect(await connection(alice).textContent()).toContain('4 waiting'));

    // A reload while still offline: the items are still there, the messages still "Sending…".
    await alice.goto(`${web.appUrl('chat')}/c/${encodeURIComponent(aliceAndBob)}`);
    await eventually(async () => expect(await connection(alice).textContent()).toContain('4 waiting'), 20_000);
    for (const body of bodies) await thread(alice).locator('li.chat-message', { hasText: body }).getByText('Sending…').waitFor();

    // Nothing reached the server meanwhile.
    const server = async () =>
      (await asUser<{ conversation: { messages: { edges: { node: { seq: number; body: string } }[] } } }>('bob', 'query($id: ID!) { conversation(id: $id) { messages(first: 100) { edges { node { seq body } } } } }', { id: aliceAndBob })).conversation.messages.edges
        .map(({ node }) => node)
        .filter((node) => node.body.endsWith(String(stamp)));
    expect(await server()).toEqual([]);

    // The gateway is back: each message arrives once, in order, for Bob and on the server; the cart holds the add once.
    await restore(alice);
    await eventually(async () => expect((await server()).map((node) => node.body)).toEqual(bodies), 40_000);
    const sent = await server();
    expect(sent.map((node) => node.seq)).toEqual([...sent.map((node) => node.seq)].sort((a, b) => a - b));
    await eventually(async () => expect(quantityIn(await cartOf('alice'), product.id)).toBe(2), 40_000);
    const bobsThread = thread(bob);
    await eventually(async () => {
      const shown = await bobsThread.locator('li.chat-message').allTextContents();
      const positions = bodies.map((body) => shown.findIndex((text) => text.includes(body)));
      expect(positions.every((position) => position >= 0)).toBe(true);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      for (const body of bodies) expect(shown.filter((text) => text.includes(body))).toHaveLength(1);
    });
    for (const body of bodies) await thread(alice).locator('li.chat-message', { hasText: body }).locator('time').waitFor();
    await eventually(async () => expect(await connection(alice).textContent()).not.toContain('waiting'));
    // One more message through the same queue, which sends in order, one at a time: once it is stored,
    // anything the queue would still have sent (a duplicate) is stored before it.
    const marker = `After the outbox ${stamp}`;
    await alice.getByRole('textbox', { name: 'Message' }).fill(marker);
    await alice.getByRole('textbox', { name: 'Message' }).press('Enter');
    await eventually(async () => expect((await server()).map((node) => node.body)).toContain(marker), 20_000);
    expect((await server()).map((node) => node.body).filter((body) => body !== marker)).toEqual(bodies);
    const cartAfter = await cartOf('alice');
    expect(quantityIn(cartAfter, product.id)).toBe(2);
    for (const item of cartBefore.items) expect(quantityIn(cartAfter, item.product.id)).toBe(item.quantity);

    await alice.context().close();
    await bob.context().close();
  });

  it('shows an action the server refuses with its reason, Retry, Edit and Discard, and sends the next ones', { timeout: 120_000 }, async () => {
    const alice = await web.newPage();
    await web.signIn(alice, DEMO_USERS.alice);
    const inCart = new Set((await cartOf('alice')).items.map((item) => item.product.id));
    const scarce = (await products()).find((candidate) => candidate.stock >= 2 && candidate.stock <= 99 && !inCart.has(candidate.id))!;
    expect(scarce).toBeTruthy();

    await openProduct(alice, scarce);
    await alice.getByRole('navigation', { name: 'Mini-apps' }).getByRole('link', { name: /Chat/ }).click();
    await alice.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`^${DEMO_USERS.bob.displayName}`) }).click();
    await alice.getByRole('heading', { level: 2, name: DEMO_USERS.bob.displayName }).waitFor();
    await alice.goBack();
    await alice.goBack();
    await alice.getByRole('heading', { level: 2, name: scarce.title }).waitFor();

    await cut(alice);
    // All the stock (will be added), then one more (CONFLICT: more than the stock), then a message (must not wait behind it).
    await addToCart(alice, scarce.stock);
    await alice.getByText(/waiting to be added to your cart/).waitFor();
    await addToCart(alice, 1);
    await eventually(async () => expect(await connection(alice).textContent()).toContain('2 waiting'));
    await alice.goForward();
    await alice.goForward();
    await alice.getByRole('heading', { level: 2, name: DEMO_USERS.bob.displayName }).waitFor();
    const body = `After the refused one ${Date.now()}`;
    const input = alice.getByRole('textbox', { name: 'Message' });
    await input.fill(body);
    await input.press('Enter');
    await eventually(async () => expect(await connection(alice).textContent()).toContain('3 waiting'));

    await restore(alice);
    const panel = alice.getByRole('region', { name: 'Not sent' });
    await panel.waitFor({ timeout: 40_000 });
    await thread(alice).locator('li.chat-message', { hasText: body }).locator('time').waitFor({ timeout: 40_000 });
    expect(quantityIn(await cartOf('alice'), scarce.id)).toBe(scarce.stock);
    const failed = panel.getByRole('listitem');
    await expect(failed.count()).resolves.toBe(1);
    await expect(failed.textContent()).resolves.toMatch(/Adding 1 to the cart: .*stock/i);
    await expect(failed.getByRole('button', { name: /^Discard/ }).isVisible()).resolves.toBe(true);
    await eventually(async () => expect(await connection(alice).textContent()).not.toContain('waiting'));

    // Retry once there is room (the line emptied on the server): added, and the panel goes.
    await asUser('alice', 'mutation($id: ID!) { removeFromCart(productId: $id) { itemCount } }', { id: scarce.id });
    await failed.getByRole('button', { name: /^Retry/ }).click();
    await panel.waitFor({ state: 'detached' });
    await eventually(async () => expect(quantityIn(await cartOf('alice'), scarce.id)).toBe(1));

    // Refused again (all the stock on top of the one in the cart), then edited to what fits: a
    // quantity the shop cannot take is refused in the form, the one that fits is added.
    await alice.goBack();
    await alice.goBack();
    await alice.getByRole('heading', { level: 2, name: scarce.title }).waitFor();
    await addToCart(alice, scarce.stock);
    await panel.waitFor({ timeout: 40_000 });
    await panel.getByRole('button', { name: `Edit: Adding ${scarce.stock} to the cart` }).click();
    const quantity = panel.getByRole('textbox', { name: 'Quantity' });
    await expect(quantity.inputValue()).resolves.toBe(String(scarce.stock));
    await quantity.fill('none');
    await panel.getByRole('button', { name: 'Send' }).click();
    await panel.getByRole('alert').filter({ hasText: 'Enter a whole number from 1 to 99.' }).waitFor();
    expect(quantityIn(await cartOf('alice'), scarce.id)).toBe(1);
    await quantity.fill(String(scarce.stock - 1));
    await panel.getByRole('button', { name: 'Send' }).click();
    await panel.waitFor({ state: 'detached' });
    await eventually(async () => expect(quantityIn(await cartOf('alice'), scarce.id)).toBe(scarce.stock));

    // Refused again (the cart full), then discarded: the panel goes and nothing is added.
    await addToCart(alice, 1);
    await panel.waitFor({ timeout: 40_000 });
    await panel.getByRole('button', { name: /^Discard/ }).click();
    await panel.waitFor({ state: 'detached' });
    expect(quantityIn(await cartOf('alice'), scarce.id)).toBe(scarce.stock);
    await alice.context().close();
  });

  it('says what holds the queue when the server answers but cannot take an action now, and sends it and the ones behind it, in order, once it can', { timeout: 90_000 }, async () => {
    const alice = await web.newPage();
    await web.signIn(alice, DEMO_USERS.alice);
    await openConversation(web, alice, DEMO_USERS.bob.displayName);
    // The gateway is reached but every send is answered 503 (a service restarting, say).
    let refusedSends = 0;
    await alice.route(web.gatewayUrl, async (route) => {
      if (!(route.request().postData() ?? '').includes('"operationName":"ChatSendMessage"')) return route.fallback();
      refusedSends += 1;
      return route.fulfill({ status: 503, contentType: 'application/json', body: '{"errors":[{"message":"Service unavailable"}]}' });
    });
    const stamp = Date.now();
    const bodies = [`Held ${stamp} one`, `Held ${stamp} two`];
    const input = alice.getByRole('textbox', { name: 'Message' });
    for (const body of bodies) {
      await input.fill(body);
      await input.press('Enter');
      await thread(alice).locator('li.chat-message', { hasText: body }).waitFor();
    }
    const waiting = alice.getByRole('region', { name: 'Waiting to send' });
    await waiting.waitFor({ timeout: 20_000 });
    await expect(waiting.textContent()).resolves.toContain(`Message “${bodies[0]}”: The server could not take it now (HTTP 503). Trying again; the actions after it wait for it.`);
    await eventually(async () => expect(await connection(alice).textContent()).toContain('2 waiting'));
    for (const body of bodies) await expect(thread(alice).locator('li.chat-message', { hasText: body }).getByText('Sending…').isVisible()).resolves.toBe(true);
    const tried = refusedSends;

    // The service is back: Try now sends the first at once, then the second; each once, in order.
    await alice.unroute(web.gatewayUrl);
    await waiting.getByRole('button', { name: /^Try now/ }).click();
    await waiting.waitFor({ state: 'detached' });
    for (const body of bodies) await thread(alice).locator('li.chat-message', { hasText: body }).locator('time').waitFor({ timeout: 20_000 });
    expect(tried).toBeGreaterThanOrEqual(1);
    await eventually(async () => expect(await connection(alice).textContent()).not.toContain('waiting'));
    const { conversation } = await asUser<{ conversation: { messages: { edges: { node: { body: string } }[] } } }>(
      'bob',
      'query($id: ID!) { conversation(id: $id) { messages(first: 100) { edges { node { body } } } } }',
      { id: aliceAndBob },
    );
    expect(conversation.messages.edges.map(({ node }) => node.body).filter((body) => body.startsWith(`Held ${stamp}`))).toEqual(bodies);
    await alice.context().close();
  });

  it('wipes the waiting items at sign-out: nothing is sent for the next user', { timeout: 90_000 }, async () => {
    const alice = await web.newPage();
    await web.signIn(alice, DEMO_USERS.alice);
    const product = (await products()).find((candidate) => candidate.stock >= 1)!;
    const before = quantityIn(await cartOf('alice'), product.id);
    await openProduct(alice, product);
    await cut(alice);
    await addToCart(alice, 1);
    await eventually(async () => expect(await connection(alice).textContent()).toContain('1 waiting'));
    await eventually(async () => expect(await alice.evaluate(STORED_OUTBOXES)).toBe(1));

    await alice.getByRole('button', { name: 'Sign out' }).click();
    await alice.getByLabel('Email').waitFor();
    await eventually(async () => expect(await alice.evaluate(STORED_OUTBOXES)).toBe(0));
    await restore(alice);
    await web.signIn(alice, DEMO_USERS.alice);
    await openProduct(alice, product);
    // One add now, through the same queue (in order, one at a time): once it is stored, a wiped item
    // that was still sent would be stored too.
    await addToCart(alice, 1);
    await eventually(async () => expect(quantityIn(await cartOf('alice'), product.id)).toBeGreaterThan(before), 20_000);
    expect(quantityIn(await cartOf('alice'), product.id) - 1).toBe(before);
    await alice.context().close();
  });
});
