import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, DEMO_USERS, eventually, queryAs, startWeb, type Web } from '@mega/test-utils';
import { DIRECT_CONVERSATIONS_QUERY, directConversationId, openConversation, thread } from './chat-pages.js';

/** How many times the shell's client sends an idempotent operation over HTTP in all (shell-web/src/graphql-client.ts HTTP_ATTEMPTS). */
const HTTP_ATTEMPTS = 4;

/**
 * Lets the requests of `operationName` reach the gateway and drops the response of the first `lose`
 * the server answered with 200 (it applied them), as a connection lost at that moment would: the
 * page sees a network error. (A PERSISTED_QUERY_NOT_FOUND answer, before the text is sent, goes through.)
 * @returns how many of them the server answered with 200
 */
async function loseFirstResponse(page: Page, gatewayUrl: string, operationName: string, lose = 1): Promise<{ answered: () => number }> {
  let answered = 0;
  await page.route(
    (url) => url.href.startsWith(gatewayUrl),
    async (route: Route) => {
      const body = route.request().postData() ?? '';
      if (!body.includes(`"operationName":"${operationName}"`)) return route.fallback();
      const response = await route.fetch();
      if (response.status() !== 200) return route.fulfill({ response });
      answered += 1;
      if (answered <= lose) return route.abort('connectionreset');
      return route.fulfill({ response });
    },
  );
  return { answered: () => answered };
}

describe('an operation whose response is lost', () => {
  let web: Web;
  const tokens: Record<string, string> = {};
  const asUser = <T>(user: keyof typeof DEMO_USERS, query: string, variables: Record<string, unknown> = {}) => queryAs<T>(web.gatewayUrl, tokens[user]!, query, variables);
  /** Bob's orders on the server, newest first. */
  const ordersOf = async () =>
    (await asUser<{ me: { orders: { edges: { node: { id: string } }[] } } }>('bob', '{ me { orders(first: 100) { edges { node { id } } } } }')).me.orders.edges.map(({ node }) => node.id);
  /** One more unit of a product in stock in Bob's cart, his orders so far, and a page signed in as him. */
  async function bobWithSomethingInTheCart() {
    const { products } = await asUser<{ products: { edges: { node: { id: string; stock: number } }[] } }>('bob', '{ products(first: 20) { edges { node { id stock } } } }');
    const product = products.edges.find(({ node }) => node.stock > 2)!.node;
    await asUser('bob', 'mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { version } }', { p: product.id });
    const before = await ordersOf();
    const page = await web.newPage();
    await web.signIn(page, DEMO_USERS.bob);
    return { before, page };
  }

  beforeAll(async () => {
    web = await startWeb({ remotes: ['chat', 'shop'] });
    for (const user of ['alice', 'bob'] as const) tokens[user] = await accessTokenFor(web.gatewayUrl, DEMO_USERS[user]);
  });
  afterAll(() => web?.stop());

  it('chat: the send is retried with the same clientMutationId, shown as sending meanwhile, and the message is stored and shown once', async () => {
    const aliceAndBob = directConversationId(await asUser('alice', DIRECT_CONVERSATIONS_QUERY));
    const page = await web.newPage();
    await web.signIn(page, DEMO_USERS.alice);
    await openConversation(web, page, DEMO_USERS.bob.displayName);
    const lost = await loseFirstResponse(page, web.gatewayUrl, 'ChatSendMessage');

    const body = `Did you get this? ${Date.now()}`;
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill(body);
    await input.press('Enter');
    const shown = thread(page).locator('li.chat-message', { hasText: body });
    await shown.waitFor();
    await eventually(async () => expect(lost.answered()).toBeGreaterThanOrEqual(1));
    await expect(shown.getByText('Sending…').isVisible()).resolves.toBe(true); // while it is retried

    // Confirmed after the retry (no longer "Sending…"), once, the text not given back.
    await shown.locator('time').waitFor();
    expect(lost.answered()).toBe(2);
    await expect(shown.count()).resolves.toBe(1);
    await expect(input.inputValue()).resolves.toBe('');
    await expect(page.getByRole('alert').filter({ hasText: 'Not sent' }).count()).resolves.toBe(0);

    const { conversation } = await asUser<{ conversation: { messages: { edges: { node: { body: string } }[] } } }>(
      'bob',
      'query($id: ID!) { conversation(id: $id) { messages(first: 100) { edges { node { body } } } } }',
      { id: aliceAndBob },
    );
    expect(conversation.messages.edges.filter(({ node }) => node.body === body)).toHaveLength(1);
    // And a reload shows it once too.
    await page.reload();
    await thread(page).getByText(body).waitFor();
    await expect(thread(page).locator('li.chat-message', { hasText: body }).count()).resolves.toBe(1);
    await page.context().close();
  });

  it('shop: a lost answer to a query or a checkout is asked again by the client itself (same clientMutationId): one order, opened', { timeout: 60_000 }, async () => {
    const { before, page } = await bobWithSomethingInTheCart();
    const cartLost = await loseFirstResponse(page, web.gatewayUrl, 'ShopCart');
    await page.goto(`${web.appUrl('shop')}/cart`);
    const checkOut = page.getByRole('button', { name: 'Check out' });
    await checkOut.waitFor(); // the cart shows: its query's first answer was lost and it was asked again
    expect(cartLost.answered()).toBe(2);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    await page.unrouteAll();

    const lost = await loseFirstResponse(page, web.gatewayUrl, 'ShopCheckout');
    await checkOut.click();
    await page.getByRole('heading', { level: 2, name: /^Order of / }).waitFor();
    expect(lost.answered()).toBe(2);
    const placed = (await ordersOf()).filter((id) => !before.includes(id));
    expect(placed).toHaveLength(1);
    expect(decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!)).toBe(placed[0]);
    await page.context().close();
  });

  it('shop: when every try goes unanswered the user is told the order may have been placed; checking out the same cart again opens that order, and only one exists', { timeout: 60_000 }, async () => {
    const { before, page } = await bobWithSomethingInTheCart();
    await page.goto(`${web.appUrl('shop')}/cart`);
    const checkOut = page.getByRole('button', { name: 'Check out' });
    await checkOut.waitFor();
    const lost = await loseFirstResponse(page, web.gatewayUrl, 'ShopCheckout', HTTP_ATTEMPTS);
    await checkOut.click();
    await page.getByRole('alert').filter({ hasText: 'may or may not have been placed' }).waitFor();
    expect(lost.answered()).toBe(HTTP_ATTEMPTS);
    const placed = (await ordersOf()).filter((id) => !before.includes(id));
    expect(placed).toHaveLength(1); // applied, though the page did not hear so

    await checkOut.click();
    await page.getByRole('heading', { level: 2, name: /^Order of / }).waitFor();
    expect(lost.answered()).toBe(HTTP_ATTEMPTS + 1);
    const orderId = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!);
    expect(orderId).toBe(placed[0]);
    expect((await ordersOf()).filter((id) => !before.includes(id))).toEqual(placed);
    await page.context().close();
  });
});
