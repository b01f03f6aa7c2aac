import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, DEMO_USERS, eventually, queryAs, startWeb, type Web } from '@mega/test-utils';
import { DIRECT_CONVERSATIONS_QUERY, directConversationId, openConversation, thread } from './chat-pages.js';
import { encodePng } from '../../../subgraphs/media/src/images/png.js';

type Attachment = { __typename: 'Product'; id: string; title: string } | { __typename: 'MediaAsset'; id: string; title: string };

/** The mini-apps working together through intents, on one normalized cache. */
describe('chat, media and shop together', () => {
  let web: Web;
  const tokens: Record<string, string> = {};
  let aliceAndBob: string;

  const asUser = <T>(user: keyof typeof DEMO_USERS, query: string, variables: Record<string, unknown> = {}) => queryAs<T>(web.gatewayUrl, tokens[user]!, query, variables);

  async function lastMessage(conversationId: string) {
    const { conversation } = await asUser<{ conversation: { lastMessage: { body: string; sender: { id: string }; attachments: Attachment[] } } }>(
      'bob',
      'query($id: ID!) { conversation(id: $id) { lastMessage { body sender { id } attachments { __typename ... on Product { id title } ... on MediaAsset { id title } } } } }',
      { id: conversationId },
    );
    return conversation.lastMessage;
  }

  const goTo = (page: Page, title: string) => page.getByRole('navigation', { name: 'Mini-apps' }).getByRole('link', { name: title }).click();
  const pictureLoaded = (page: Page, name: string) =>
    page.getByRole('img', { name }).first().evaluate((image: { complete: boolean; naturalWidth: number }) => image.complete && image.naturalWidth > 0);

  beforeAll(async () => {
    web = await startWeb();
    for (const user of ['alice', 'bob'] as const) tokens[user] = await accessTokenFor(web.gatewayUrl, DEMO_USERS[user]);
    aliceAndBob = directConversationId(await asUser('alice', DIRECT_CONVERSATIONS_QUERY));
  });
  afterAll(() => web?.stop());

  it('shares a product from the shop into a chat the user picks, where the other member sees it live', async () => {
    const alice = await web.newPage();
    const bob = await web.newPage();
    await web.signIn(alice, DEMO_USERS.alice);
    await web.signIn(bob, DEMO_USERS.bob);
    await openConversation(web, bob, DEMO_USERS.alice.displayName);

    await alice.goto(web.appUrl('shop'));
    const firstProduct = alice.getByRole('list', { name: 'Products' }).getByRole('link').first();
    await firstProduct.waitFor();
    await firstProduct.click();
    await alice.waitForURL(/\/shop\/p\/[^/]+$/);
    const productId = decodeURIComponent(new URL(alice.url()).pathname.split('/').at(-1)!);
    const { product } = await asUser<{ product: { title: string } }>('alice', 'query($id: ID!) { product(id: $id) { title } }', { id: productId });
    const title = product.title;
    await alice.getByRole('heading', { name: title }).waitFor();

    await alice.getByRole('button', { name: 'Share in chat' }).click();
    const dialog = alice.getByRole('dialog', { name: 'Share a product' });
    await dialog.getByRole('list', { name: 'Share with' }).getByRole('link', { name: new RegExp(`^${DEMO_USERS.bob.displayName}`) }).click();
    await dialog.getByLabel('Add a note (optional)').fill('Look at this one');
    await dialog.getByRole('button', { name: 'Share', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await alice.getByRole('region', { name: 'Notifications' }).getByText(`${title} was shared in chat.`).waitFor();

    // The other member sees it arrive, with the product's title and price from the shop.
    const inBob = thread(bob).locator('li.chat-message', { hasText: 'Look at this one' });
    await inBob.waitFor();
    await expect(inBob.locator('.chat-product').textContent()).resolves.toContain(title);
    const stored = await lastMessage(aliceAndBob);
    expect(stored.body).toBe('Look at this one');
    expect(stored.attachments).toEqual([{ __typename: 'Product', id: productId, title }]);

    // And the shop opens the conversation in chat (the open-conversation intent).
    await alice.getByRole('button', { name: 'Open the conversation' }).click();
    await alice.getByRole('heading', { level: 2, name: DEMO_USERS.bob.displayName }).waitFor();
    await expect(thread(alice).locator('li.chat-message', { hasText: 'Look at this one' }).locator('.chat-product').textContent()).resolves.toContain(title);
    await alice.context().close();
    await bob.context().close();
  });

  it('attaches an image uploaded in media to a message the other member sees, and a rename in media shows in the chat at once, without asking the server', async () => {
    const alice = await web.newPage();
    const bob = await web.newPage();
    await web.signIn(alice, DEMO_USERS.alice);
    await web.signIn(bob, DEMO_USERS.bob);
    await openConversation(web, bob, DEMO_USERS.alice.displayName);

    // Upload in media.
    await goTo(alice, 'Media');
    const chooser = alice.waitForEvent('filechooser');
    await alice.getByRole('button', { name: 'Upload…' }).click();
    const data = Buffer.alloc(40 * 30 * 4, 180);
    await (await chooser).setFiles({ name: 'harbour.png', mimeType: 'image/png', buffer: encodePng({ width: 40, height: 30, data }) });
    await alice.getByRole('list', { name: 'Uploads' }).getByRole('listitem').filter({ hasText: 'harbour.png' }).getByText('Ready').waitFor();

    // Attach it in chat (the shell's dialog shows media's picker) and send.
    await goTo(alice, 'Chat');
    await alice.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`^${DEMO_USERS.bob.displayName}`) }).click();
    await alice.getByRole('button', { name: 'Attach a photo or video' }).click();
    const dialog = alice.getByRole('dialog', { name: 'Pick a photo or video' });
    await dialog.getByRole('button', { name: 'harbour' }).click();
    await dialog.waitFor({ state: 'detached' });
    await alice.getByRole('list', { name: 'To attach' }).getByText('will be visible to anyone with its link').waitFor();
    await alice.getByRole('textbox', { name: 'Message' }).fill('From the trip');
    await alice.getByRole('button', { name: 'Send' }).click();

    const inBob = thread(bob).locator('li.chat-message', { hasText: 'From the trip' });
    await inBob.getByRole('img', { name: 'harbour' }).waitFor();
    await eventually(async () => expect(await pictureLoaded(bob, 'harbour')).toBe(true));
    const stored = await lastMessage(aliceAndBob);
    expect(stored.attachments).toEqual([{ __typename: 'MediaAsset', id: expect.any(String), title: 'harbour' }]);

    // Rename in media; the chat's thread, shown again from the one cache, has the new title, and no thread query went out.
    await goTo(alice, 'Media');
    await alice.getByRole('list', { name: 'Your media' }).getByRole('link', { name: 'harbour' }).click();
    await alice.getByRole('textbox', { name: 'Title' }).fill('Harbour at dusk');
    await alice.getByRole('button', { name: 'Save title' }).click();
    await alice.getByRole('heading', { level: 2, name: 'Harbour at dusk' }).waitFor();
    // The thread's own query is held: what it shows meanwhile comes from the cache alone.
    let releaseThread!: () => void;
    const threadReleased = new Promise<void>((resolve) => (releaseThread = resolve));
    let threadQueries = 0;
    await alice.route(web.gatewayUrl, async (route) => {
      const body = route.request().postDataJSON() as { operationName?: string } | null;
      if (body?.operationName === 'ChatThread') {
        threadQueries++;
        await threadReleased;
      }
      await route.continue().catch(() => undefined);
    });
    await goTo(alice, 'Chat');
    await alice.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`^${DEMO_USERS.bob.displayName}`) }).click();
    const inAlice = thread(alice).locator('li.chat-message', { hasText: 'From the trip' });
    await inAlice.getByRole('img', { name: 'Harbour at dusk' }).waitFor();
    await expect(inAlice.locator('.chat-media-title').textContent()).resolves.toBe('Harbour at dusk');
    expect(threadQueries).toBeLessThanOrEqual(1); // asked (stale while revalidating), not yet answered
    releaseThread();
    await alice.unroute(web.gatewayUrl);
    expect((await lastMessage(aliceAndBob)).attachments).toEqual([{ __typename: 'MediaAsset', id: stored.attachments[0]!.id, title: 'Harbour at dusk' }]);
    await alice.context().close();
    await bob.context().close();
  });
});
