import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, DEMO_USERS, eventually, queryAs, startWeb, type Web } from '@mega/test-utils';
import { DIRECT_CONVERSATIONS_QUERY, directConversationId, thread } from '../chat/chat-pages.js';

/** The caches the shell saved in this browser profile (IndexedDB `mega-cache`/`caches`), by key; read without creating the database. Run in the page (test/ is typed for Node, not the DOM). */
const SAVED_CACHES = `(async () => {
  if (!(await indexedDB.databases()).some((database) => database.name === 'mega-cache')) return {};
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('mega-cache');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const database = open.result;
      const caches = {};
      const cursor = database.transaction('caches').objectStore('caches').openCursor();
      cursor.onerror = () => reject(cursor.error);
      cursor.onsuccess = () => {
        if (!cursor.result) {
          database.close();
          resolve(caches);
          return;
        }
        caches[String(cursor.result.key)] = cursor.result.value.data;
        cursor.result.continue();
      };
    };
  });
})()`;
const savedCaches = (page: Page) => page.evaluate<Record<string, string>>(SAVED_CACHES);

interface Seen {
  userId: string;
  messageBody: string;
  mediaTitle: string;
  productTitles: string[];
  cartTitle: string;
}

describe('the shell keeps its cache per user and starts from it without the network', () => {
  let web: Web;
  const tokens: Record<string, string> = {};
  const asUser = <T,>(user: keyof typeof tokens, query: string, variables: Record<string, unknown> = {}) => queryAs<T>(web.gatewayUrl, tokens[user]!, query, variables);

  beforeAll(async () => {
    web = await startWeb();
    for (const user of ['alice', 'bob', 'carol'] as const) tokens[user] = await accessTokenFor(web.gatewayUrl, DEMO_USERS[user]);
  });
  afterAll(() => web?.stop());

  /** What the gateway holds for Alice, that the page must show from its cache. */
  async function aliceData(): Promise<Seen & { conversationId: string }> {
    const conversationId = directConversationId(await asUser('alice', DIRECT_CONVERSATIONS_QUERY));
    const { me } = await asUser<{ me: { id: string } }>('alice', '{ me { id } }');
    const { conversation } = await asUser<{ conversation: { messages: { edges: { node: { body: string } }[] } } }>('alice', 'query($id: ID!) { conversation(id: $id) { messages(first: 30) { edges { node { body } } } } }', { id: conversationId });
    const bobsMedia = (await asUser<{ myMedia: { edges: { node: { title: string } }[] } }>('bob', '{ myMedia(first: 100) { edges { node { title } } } }')).myMedia.edges.map(({ node }) => node.title);
    const { myMedia } = await asUser<{ myMedia: { edges: { node: { title: string } }[] } }>('alice', '{ myMedia(first: 6) { edges { node { title } } } }');
    const { products } = await asUser<{ products: { edges: { node: { id: string; title: string } }[] } }>('alice', '{ products(first: 3) { edges { node { id title } } } }');
    const product = products.edges.at(-1)!.node;
    const { addToCart } = await asUser<{ addToCart: { items: { product: { title: string } }[] } }>('alice', 'mutation($id: ID!) { addToCart(productId: $id, quantity: 1) { items { product { title } } } }', { id: product.id });
    return {
      conversationId,
      userId: me.id,
      messageBody: conversation.messages.edges.at(-1)!.node.body,
      mediaTitle: myMedia.edges.map(({ node }) => node.title).find((title) => !bobsMedia.includes(title))!,
      productTitles: products.edges.map(({ node }) => node.title),
      cartTitle: addToCart.items.at(-1)!.product.title,
    };
  }

  const openApp = async (page: Page, title: string, heading: string) => {
    await page.getByRole('navigation', { name: 'Mini-apps' }).getByRole('link', { name: new RegExp(title) }).click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };
  const connection = (page: Page) => page.getByRole('status', { name: 'Connection' });
  /** `user` signed in with chat open: their id, the page and the names of the conversations it lists. */
  const signedInOnChat = async (user: 'alice' | 'carol') => {
    const { me } = await asUser<{ me: { id: string } }>(user, '{ me { id } }');
    const page = await web.newPage();
    await web.signIn(page, DEMO_USERS[user]);
    await openApp(page, 'Chat', 'Chat');
    const conversations = page.getByRole('list', { name: 'Conversations' }).locator('.chat-conversation-name');
    await conversations.first().waitFor();
    return { me, page, names: await conversations.allInnerTexts() };
  };

  it('shows the signed-in user and every mini-app from the cache after a reload without the gateway, then goes live again; the next user sees none of it', async () => {
    const alice = await aliceData();
    const page = await web.newPage();
    let offline = false;
    await page.routeWebSocket(web.gatewayUrl.replace(/^http/, 'ws'), (socket) => (offline ? socket.close({ code: 1013, reason: 'offline' }) : socket.connectToServer()));
    await web.signIn(page, DEMO_USERS.alice);

    // Chat (a conversation), media, the shop's catalogue and cart, each through the gateway once.
    await openApp(page, 'Chat', 'Chat');
    await page.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`^${DEMO_USERS.bob.displayName}`) }).click();
    await thread(page).getByText(alice.messageBody, { exact: true }).waitFor();
    await openApp(page, 'Media', 'Media');
    await page.getByRole('list', { name: 'Your media' }).getByRole('link', { name: alice.mediaTitle }).waitFor();
    await openApp(page, 'Shop', 'Shop');
    await page.getByRole('list', { name: 'Products' }).getByRole('heading', { level: 3, name: alice.productTitles[0] }).waitFor();
    await page.getByRole('navigation', { name: 'Shop sections' }).getByRole('link', { name: /^Cart/ }).click();
    await page.getByRole('list', { name: 'Items in your cart' }).getByText(alice.cartTitle).first().waitFor();
    const key = `cache:${alice.userId}`;
    await eventually(async () => {
      const saved = (await savedCaches(page))[key] ?? '';
      for (const text of [alice.messageBody, alice.mediaTitle, alice.cartTitle, ...alice.productTitles]) expect(saved).toContain(JSON.stringify(text).slice(1, -1));
    });

    // The gateway is gone (HTTP and WebSocket); the page is reloaded.
    offline = true;
    await page.route(web.gatewayUrl, (route) => route.abort('internetdisconnected'));
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await expect(page.getByRole('banner').textContent()).resolves.toContain(DEMO_USERS.alice.displayName);
    await expect(connection(page).textContent()).resolves.toContain('Offline');
    await page.getByRole('list', { name: 'Items in your cart' }).getByText(alice.cartTitle).first().waitFor();
    await page.getByRole('navigation', { name: 'Shop sections' }).getByRole('link', { name: /^Catalogue/ }).click();
    for (const title of alice.productTitles) await page.getByRole('list', { name: 'Products' }).getByRole('heading', { level: 3, name: title }).waitFor();
    await openApp(page, 'Media', 'Media');
    await page.getByRole('list', { name: 'Your media' }).getByRole('link', { name: alice.mediaTitle }).waitFor();
    await openApp(page, 'Chat', 'Chat');
    await page.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`^${DEMO_USERS.bob.displayName}`) }).click();
    await thread(page).getByText(alice.messageBody, { exact: true }).waitFor();
    await expect(connection(page).textContent()).resolves.toContain('Offline');

    // The gateway is back: the page goes online with a fresh access token, and the thread is live again.
    offline = false;
    await page.unroute(web.gatewayUrl);
    await connection(page).filter({ hasText: 'Online' }).waitFor({ timeout: 60_000 });
    const live = `Back online ${Date.now()}`;
    await eventually(
      async () => {
        await asUser('bob', 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }', { input: { conversationId: alice.conversationId, body: `${live} ${Date.now()}` } });
        await thread(page).getByText(live).first().waitFor({ timeout: 2000 });
      },
      30_000,
    );

    // Alice signs out: her saved cache goes; Bob, in the same browser profile, sees none of her data.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await eventually(async () => expect(Object.keys(await savedCaches(page))).not.toContain(key));
    await web.signIn(page, DEMO_USERS.bob);
    await openApp(page, 'Media', 'Media');
    await page.getByRole('list', { name: 'Your media' }).getByRole('listitem').first().waitFor();
    await expect(page.getByRole('list', { name: 'Your media' }).getByRole('link', { name: alice.mediaTitle }).count()).resolves.toBe(0);
    await openApp(page, 'Shop', 'Shop');
    await page.getByRole('navigation', { name: 'Shop sections' }).getByRole('link', { name: /^Cart/ }).click();
    await page.getByRole('heading', { level: 2, name: 'Your cart' }).waitFor();
    const bobsCart = (await asUser<{ cart: { items: { product: { title: string } }[] } | null }>('bob', '{ cart { items { product { title } } } }')).cart?.items.map(({ product }) => product.title) ?? [];
    if (!bobsCart.includes(alice.cartTitle)) await expect(page.getByRole('list', { name: 'Items in your cart' }).getByText(alice.cartTitle).count()).resolves.toBe(0);
    await eventually(async () => expect(Object.keys(await savedCaches(page))).toEqual([`cache:${(await asUser<{ me: { id: string } }>('bob', '{ me { id } }')).me.id}`]));
    await page.context().close();
  }, 180_000);

  it('shows what changed on the server since the cache was saved once a reload is online: a conversation started and a cart changed elsewhere', async () => {
    const { me: alice } = await asUser<{ me: { id: string } }>('alice', '{ me { id } }');
    const { me: carol } = await asUser<{ me: { id: string } }>('carol', '{ me { id } }');
    const cartCount = async () => (await asUser<{ cart: { itemCount: number } | null }>('alice', '{ cart { itemCount } }')).cart?.itemCount ?? 0;
    const page = await web.newPage();
    await web.signIn(page, DEMO_USERS.alice);
    await openApp(page, 'Chat', 'Chat');
    await page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').first().waitFor();
    await openApp(page, 'Shop', 'Shop');
    const badge = page.getByRole('navigation', { name: 'Shop sections' }).locator('.shop-badge');
    const before = await cartCount();
    await eventually(async () => expect((await badge.textContent())?.replace(/\D/g, '')).toBe(String(before)));
    const key = `cache:${alice.id}`;
    await eventually(async () => {
      const saved = (await savedCaches(page))[key] ?? '';
      expect(saved).toContain('"conversations');
      expect(saved).toContain(`"itemCount":${before}`);
    });

    // Meanwhile, elsewhere: Bob starts a conversation with Alice and Carol; Alice adds to her cart on her phone.
    const title = `Started while away ${Date.now()}`;
    await asUser('bob', 'mutation($title: String, $members: [ID!]!) { startConversation(title: $title, memberIds: $members) { id } }', { title, members: [alice.id, carol.id] });
    const { products } = await asUser<{ products: { edges: { node: { id: string } }[] } }>('alice', '{ products(first: 1) { edges { node { id } } } }');
    await asUser('alice', 'mutation($id: ID!) { addToCart(productId: $id, quantity: 1) { itemCount } }', { id: products.edges[0]!.node.id });

    // The reload starts from the saved cache, then shows the server's state.
    await page.reload();
    await eventually(async () => expect((await badge.textContent())?.replace(/\D/g, '')).toBe(String(before + 1)));
    await openApp(page, 'Chat', 'Chat');
    await page.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`^${title}`) }).waitFor();
    await page.context().close();
  });

  it('shows the saved conversations, catalogue and orders, not an error, when a reload finds the gateway unreachable while the browser says it is online', async () => {
    const { me, page, names } = await signedInOnChat('alice');
    await openApp(page, 'Shop', 'Shop');
    const products = page.getByRole('list', { name: 'Products' }).getByRole('heading', { level: 3 });
    await products.first().waitFor();
    const titles = await products.allInnerTexts();
    await page.getByRole('navigation', { name: 'Shop sections' }).getByRole('link', { name: /^Orders/ }).click();
    await page.getByRole('heading', { level: 2, name: 'Your orders' }).waitFor();
    await page.getByText('Loading your orders…').waitFor({ state: 'detached' });
    await eventually(async () => {
      const saved = (await savedCaches(page))[`cache:${me.id}`] ?? '';
      for (const title of titles) expect(saved).toContain(JSON.stringify(title).slice(1, -1));
      expect(saved).toContain('"conversations');
      expect(saved).toContain('"orders(');
    });

    // Every request to the gateway fails (HTTP and WebSocket), but nothing tells the browser it is offline.
    const failed: string[] = [];
    await page.route(web.gatewayUrl, (route) => {
      failed.push(JSON.parse(route.request().postData() ?? '{}').operationName ?? '');
      return route.abort('connectionrefused');
    });
    await page.routeWebSocket(web.gatewayUrl.replace(/^http/, 'ws'), (socket) => socket.close({ code: 1013, reason: 'unreachable' }));
    const gaveUp = async (operationName: string) => {
      // Every attempt of the query failed (RetryLink's), and the page has handled the last failure.
      await eventually(() => expect(failed.filter((name) => name === operationName).length).toBeGreaterThanOrEqual(4), 30_000);
      await page.evaluate('new Promise((resolve) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(resolve)), 100))');
    };
    const pages = [
      { route: 'chat', operationName: 'ChatConversations', error: 'Conversations could not be loaded', shown: () => names.map((name) => page.getByRole('list', { name: 'Conversations' }).getByText(name, { exact: true })) },
      { route: 'shop', operationName: 'ShopProducts', error: 'The catalogue could not be loaded', shown: () => titles.map((title) => page.getByRole('list', { name: 'Products' }).getByRole('heading', { level: 3, name: title, exact: true })) },
      { route: 'shop/orders', operationName: 'ShopOrders', error: 'Your orders could not be loaded', shown: () => [page.getByRole('heading', { level: 2, name: 'Your orders' })] },
    ];
    for (const { route, operationName, error, shown } of pages) {
      failed.length = 0;
      await page.goto(`${web.shellUrl}/${route}`);
      await expect(page.evaluate('navigator.onLine')).resolves.toBe(true);
      for (const item of shown()) await item.first().waitFor();
      await connection(page).filter({ hasText: 'Offline' }).waitFor();
      await gaveUp(operationName);
      await expect(page.getByText(error).count(), `${route}: ${error}`).resolves.toBe(0);
      for (const item of shown()) await expect(item.count()).resolves.toBeGreaterThan(0);
    }
    await page.context().close();
  });

  it('starts from the cache when the way to the gateway answers 502 or nothing at all, shows Offline meanwhile, and goes live once the gateway answers', async () => {
    const { me, page, names } = await signedInOnChat('carol');
    await eventually(async () => expect((await savedCaches(page))[`cache:${me.id}`] ?? '').toContain('"conversations'));
    const shown = () => names.map((name) => page.getByRole('list', { name: 'Conversations' }).getByText(name, { exact: true }).first());
    const wsUrl = web.gatewayUrl.replace(/^http/, 'ws');

    // A proxy in front answers 502 to everything (the WebSocket cannot be opened).
    let answered502 = 0;
    await page.route(web.gatewayUrl, (route) => {
      answered502 += 1;
      return route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>502 Bad Gateway</h1>' });
    });
    let released = false;
    await page.routeWebSocket(wsUrl, (socket) => (released ? void socket.connectToServer() : socket.close({ code: 1013, reason: 'unreachable' })));
    await page.reload();
    for (const item of shown()) await item.waitFor();
    // Every attempt of the list's query answered 502 (RetryLink's 4), and still Offline, not Online.
    await eventually(() => expect(answered502).toBeGreaterThanOrEqual(5), 30_000);
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    await expect(connection(page).innerText()).resolves.toContain('Offline');

    // Then a network that looks connected but carries nothing: requests to the gateway are never answered.
    await page.unroute(web.gatewayUrl);
    const held: Route[] = [];
    await page.route(web.gatewayUrl, (route) => void held.push(route));
    await page.reload();
    for (const item of shown()) await item.waitFor();
    await connection(page).filter({ hasText: 'Offline' }).waitFor();
    expect(held.length).toBeGreaterThan(0); // the session's renewal, still waiting

    // The network carries again: the held requests reach the gateway, and the page goes live.
    await page.unroute(web.gatewayUrl);
    released = true;
    for (const route of held.splice(0)) await route.continue().catch(() => undefined); // one the page gave up on is gone
    await connection(page).filter({ hasText: 'Online' }).waitFor({ timeout: 30_000 });
    for (const item of shown()) await expect(item.count()).resolves.toBeGreaterThan(0);
    await page.context().close();
  });

  it('signs out and deletes the saved cache when the gateway refuses the kept refresh token', async () => {
    const page = await web.newPage();
    await web.signIn(page, DEMO_USERS.alice);
    await openApp(page, 'Media', 'Media');
    await page.getByRole('list', { name: 'Your media' }).getByRole('listitem').first().waitFor();
    const { me } = await asUser<{ me: { id: string } }>('alice', '{ me { id } }');
    await eventually(async () => expect(Object.keys(await savedCaches(page))).toEqual([`cache:${me.id}`]));

    // The refresh token is revoked elsewhere (a sign-out on the server): the next start is refused.
    const refreshToken = await page.evaluate<string>(`localStorage.getItem('mega.refreshToken')`);
    await asUser('alice', 'mutation($refreshToken: String!) { logOut(refreshToken: $refreshToken) }', { refreshToken });
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await eventually(async () => expect(await savedCaches(page)).toEqual({}));
    await expect(page.evaluate<string | null>(`localStorage.getItem('mega.user')`)).resolves.toBeNull();
    await page.context().close();
  });
});
