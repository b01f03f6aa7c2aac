import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, postGraphQL, startWeb, type Web } from '@mega/test-utils';

type Attachment = { __typename: 'Product'; id: string; title: string } | { __typename: 'MediaAsset'; id: string; title: string };

/** The mini-apps working together through intents, on one normalized cache. */
describe('chat, media and shop together', () => {
  let web: Web;
  const tokens: Record<string, string> = {};
  let aliceAndBob: string;

  async function asUser<T>(user: keyof typeof DEMO_USERS, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await postGraphQL<T>(web.gatewayUrl, { query, variables }, { authorization: `Bearer ${tokens[user]}` });
    expect(response.errors).toBeUndefined();
    return response.data!;
  }

  async function lastMessage(conversationId: string) {
    const { conversation } = await asUser<{ conversation: { lastMessage: { body: string; sender: { id: string }; attachments: Attachment[] } } }>(
      'bob',
      'query($id: ID!) { conversation(id: $id) { lastMessage { body sender { id } attachments { __typename ... on Product { id title } ... on MediaAsset { id title } } } } }',
      { id: conversationId },
    );
    return conversation.lastMessage;
  }

  const thread = (page: Page) => page.getByRole('list', { name: /^Messages with/ });

  async function openConversation(page: Page, name: string) {
    await page.goto(web.appUrl('chat'));
    await page.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`^${name}`) }).click();
    await page.getByRole('heading', { level: 2, name }).waitFor();
  }

  beforeAll(async () => {
    web = await startWeb();
    for (const user of ['alice', 'bob'] as const) {
      const login = await postGraphQL<{ logIn: { accessToken: string } }>(web.gatewayUrl, {
        query: 'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { accessToken } }',
        variables: { e: DEMO_USERS[user].email, p: DEMO_USERS[user].password },
      });
      tokens[user] = login.data!.logIn.accessToken;
    }
    const { conversations } = await asUser<{ conversations: { edges: { node: { id: string; title: string | null; members: { id: string }[] } }[] } }>(
      'alice',
      '{ conversations(first: 50) { edges { node { id title members { id } } } } }',
    );
    aliceAndBob = conversations.edges.find(({ node }) => node.title === null && node.members.length === 2)!.node.id;
  });
  afterAll(() => web?.stop());

  it('shares a product from the shop into a chat the user picks, where the other member sees it live', async () => {
    const alice = await web.newPage();
    const bob = await web.newPage();
    await web.signIn(alice, DEMO_USERS.alice);
    await web.signIn(bob, DEMO_USERS.bob);
    await openConversation(bob, DEMO_USERS.alice.displayName);

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
});
