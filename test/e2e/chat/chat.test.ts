import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, DEMO_USERS, eventually, queryAs, startWeb, type Web } from '@mega/test-utils';
import { DIRECT_CONVERSATIONS_QUERY, directConversationId, openConversation } from './chat-pages.js';

interface Thread {
  id: string;
  messages: { edges: { node: { id: string; seq: number; body: string; sender: { id: string } | null } }[] };
}

describe('the chat mini-app in the shell', () => {
  let web: Web;
  const tokens: Record<string, string> = {};
  let aliceAndBob: string;

  const asUser = <T>(user: keyof typeof DEMO_USERS, query: string, variables: Record<string, unknown> = {}) => queryAs<T>(web.gatewayUrl, tokens[user]!, query, variables);

  async function threadOf(conversationId: string, user: keyof typeof DEMO_USERS = 'alice', first = 100): Promise<Thread> {
    const data = await asUser<{ conversation: Thread }>(user, 'query($id: ID!, $first: Int) { conversation(id: $id) { id messages(first: $first) { edges { node { id seq body sender { id } } } } } }', { id: conversationId, first });
    return data.conversation;
  }

  beforeAll(async () => {
    web = await startWeb({ remotes: ['chat'] });
    for (const user of ['alice', 'bob', 'carol'] as const) tokens[user] = await accessTokenFor(web.gatewayUrl, DEMO_USERS[user]);
    aliceAndBob = directConversationId(await asUser('alice', DIRECT_CONVERSATIONS_QUERY));
  });
  afterAll(() => web?.stop());

  it('shows a sent message at once, then live to the other member in another browser, who sees the sender typing first', async () => {
    const alice = await web.newPage();
    const bob = await web.newPage();
    await web.signIn(alice, DEMO_USERS.alice);
    await web.signIn(bob, DEMO_USERS.bob);
    await openConversation(web, alice, DEMO_USERS.bob.displayName);
    await openConversation(web, bob, DEMO_USERS.alice.displayName);
    const before = await threadOf(aliceAndBob);

    const body = `Lunch at noon? ${Date.now()}`;
    const input = alice.getByRole('textbox', { name: 'Message' });
    await input.fill(body.slice(0, 5));
    await bob.getByText(`${DEMO_USERS.alice.displayName} is typing…`).waitFor();
    await input.fill(body);
    await input.press('Enter');
    await expect(input.inputValue()).resolves.toBe('');

    const inBob = bob.getByRole('list', { name: /^Messages with/ }).getByText(body);
    await inBob.waitFor();
    const inAlice = alice.getByRole('list', { name: /^Messages with/ }).locator('li.chat-message', { hasText: body });
    await expect(inAlice.count()).resolves.toBe(1);
    await inAlice.locator('time').waitFor(); // confirmed by the server: no longer "Sending…"

    // The server holds it once, as the next message, from Alice.
    const after = await threadOf(aliceAndBob, 'bob');
    const sent = after.messages.edges.filter(({ node }) => node.body === body);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.node.seq).toBe(before.messages.edges.at(-1)!.node.seq + 1);
    expect(sent[0]!.node.sender?.id).toBe((await asUser<{ me: { id: string } }>('alice', '{ me { id } }')).me.id);
    await expect(bob.getByRole('list', { name: /^Messages with/ }).getByText(body).count()).resolves.toBe(1);
    await alice.context().close();
    await bob.context().close();
  });

  it('loads older messages when the top of the thread is scrolled into view', async () => {
    const weekend = (await asUser<{ conversations: { edges: { node: { id: string; title: string | null } }[] } }>('carol', '{ conversations(first: 50) { edges { node { id title } } } }')).conversations.edges.find(
      ({ node }) => node.title === 'Weekend trip',
    )!.node.id;
    for (let index = 1; index <= 40; index++) {
      await asUser('carol', 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }', { input: { conversationId: weekend, body: `History ${index}` } });
    }
    const total = (await threadOf(weekend, 'carol')).messages.edges.length;
    expect(total).toBeGreaterThan(40);

    const carol = await web.newPage();
    await web.signIn(carol, DEMO_USERS.carol);
    await openConversation(web, carol, 'Weekend trip');
    const thread = carol.getByRole('list', { name: /^Messages with/ });
    const messages = thread.locator('li.chat-message');
    await thread.getByText('History 40', { exact: true }).waitFor();
    await expect(messages.count()).resolves.toBe(30);
    await expect(thread.getByText('History 1', { exact: true }).count()).resolves.toBe(0);

    await carol.getByRole('button', { name: 'Load earlier messages' }).scrollIntoViewIfNeeded();
    await eventually(async () => expect(await messages.count()).toBe(total));
    await thread.getByText('History 1', { exact: true }).waitFor();
    const seqs = await messages.evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-seq'))));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(total);
    await carol.context().close();
  });

  it('fits a phone: the list, then the open conversation alone, no sideways scrolling, the thread heading focused, every control labelled', async () => {
    const browser = await web.browser();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const phone = await context.newPage();
    phone.setDefaultTimeout(20_000);
    await web.signIn(phone, DEMO_USERS.alice);
    await phone.goto(web.appUrl('chat'));
    const list = phone.getByRole('list', { name: 'Conversations' });
    await list.getByRole('link').first().waitFor();
    const width = () => phone.locator('html').evaluate((html: { scrollWidth: number }) => html.scrollWidth);
    expect(await width()).toBeLessThanOrEqual(390);

    await list.getByRole('link', { name: /^Weekend trip/ }).click();
    const heading = phone.getByRole('heading', { level: 2, name: 'Weekend trip' });
    await heading.waitFor();
    await eventually(async () => expect(await heading.evaluate((element: { ownerDocument: { activeElement: unknown } }) => element === element.ownerDocument.activeElement)).toBe(true));
    await expect(list.isVisible()).resolves.toBe(false);
    expect(await width()).toBeLessThanOrEqual(390);
    await expect(phone.getByRole('textbox', { name: 'Message' }).isVisible()).resolves.toBe(true);
    await expect(phone.getByRole('button', { name: 'Attach a photo or video' }).isVisible()).resolves.toBe(true);
    const unlabelled = await phone.locator('main button, main input, main textarea').evaluateAll((controls) =>
      controls.filter((control) => !(control.getAttribute('aria-label') || control.textContent?.trim() || (control as unknown as { labels?: { length: number } }).labels?.length)).length,
    );
    expect(unlabelled).toBe(0);

    // Back goes to the list again.
    await phone.goBack();
    await list.getByRole('link').first().waitFor();
    await context.close();
  });
});
