import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, DEMO_USERS, eventually, freePorts, queryAs, startFederation, startWeb, type Federation, type Web } from '@mega/test-utils';
import { DIRECT_CONVERSATIONS_QUERY, directConversationId, openConversation, thread } from './chat-pages.js';

const SEND = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id seq } }';

/**
 * Alice's page talks to a gateway of its own, on a fixed port, which the test stops and starts
 * again on the same port (an outage of her gateway); Bob goes through the federation's other one.
 */
describe('an outage of the gateway during a live chat', () => {
  let federation: Federation;
  let web: Web;
  let alicesGateway: string;
  let gatewayPort: number;
  let shellUrl: string;
  const tokens: Record<string, string> = {};
  let aliceAndBob: string;
  const asBob = <T>(query: string, variables: Record<string, unknown> = {}) => queryAs<T>(federation.gatewayUrl, tokens.bob!, query, variables);

  beforeAll(async () => {
    const [shellPort, port] = await freePorts(2);
    gatewayPort = port!;
    shellUrl = `http://127.0.0.1:${shellPort}`;
    federation = await startFederation({ seed: true, gateway: { cors: { origins: [shellUrl] } } });
    alicesGateway = await federation.startGateway({ port: gatewayPort, cors: { origins: [shellUrl] } });
    web = await startWeb({ gatewayUrl: alicesGateway, shellPort: shellPort!, remotes: ['chat'] });
    for (const user of ['alice', 'bob'] as const) tokens[user] = await accessTokenFor(federation.gatewayUrl, DEMO_USERS[user]);
    aliceAndBob = directConversationId(await queryAs(federation.gatewayUrl, tokens.alice!, DIRECT_CONVERSATIONS_QUERY));
  });
  afterAll(async () => {
    await web?.stop();
    await federation?.stop();
  });

  it('shows every message Bob sent meanwhile exactly once, in order, when her gateway is back', { timeout: 90_000 }, async () => {
    const page = await web.newPage();
    // The messageAdded subscriptions the page sends, with the seq each starts after.
    const subscribedAfter: number[] = [];
    page.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        const message = JSON.parse(String(payload)) as { type: string; payload?: { operationName?: string; variables?: { afterSeq?: number } } };
        if (message.type === 'subscribe' && message.payload?.operationName === 'ChatMessageAdded' && message.payload.variables?.afterSeq !== undefined) subscribedAfter.push(message.payload.variables.afterSeq);
      }),
    );
    await web.signIn(page, DEMO_USERS.alice);
    await openConversation(web, page, DEMO_USERS.bob.displayName);
    const stamp = Date.now();
    const messages = thread(page).locator('li.chat-message');

    // Live first.
    const before = (await asBob<{ sendMessage: { seq: number } }>(SEND, { input: { conversationId: aliceAndBob, body: `Before ${stamp}` } })).sendMessage.seq;
    await thread(page).getByText(`Before ${stamp}`).waitFor();

    // Her gateway goes away; the shell says so.
    const subscribedBeforeOutage = subscribedAfter.length;
    await federation.stopGateway(alicesGateway);
    await page.getByText(/Reconnecting…|Offline/).first().waitFor();
    const during = [1, 2, 3].map((index) => `During ${index} ${stamp}`);
    for (const body of during) await asBob(SEND, { input: { conversationId: aliceAndBob, body } });
    for (const body of during) await expect(thread(page).getByText(body).count()).resolves.toBe(0);

    // It comes back on the same port: the page reconnects and shows what it missed.
    expect(await federation.startGateway({ port: gatewayPort, cors: { origins: [shellUrl] } })).toBe(alicesGateway);
    await thread(page).getByText(during.at(-1)!).waitFor({ timeout: 45_000 });
    // Subscribed again from the newest message it held (not from where it first started).
    await eventually(async () => expect(subscribedAfter.slice(subscribedBeforeOutage)).toContain(before));
    await asBob(SEND, { input: { conversationId: aliceAndBob, body: `After ${stamp}` } });
    await thread(page).getByText(`After ${stamp}`).waitFor();

    const expected = [`Before ${stamp}`, ...during, `After ${stamp}`];
    const server = await queryAs<{ conversation: { messages: { edges: { node: { seq: number; body: string } }[] } } }>(
      federation.gatewayUrl,
      tokens.alice!,
      'query($id: ID!) { conversation(id: $id) { messages(first: 100) { edges { node { seq body } } } } }',
      { id: aliceAndBob },
    );
    const stored = server.conversation.messages.edges.map(({ node }) => node);
    expect(stored.filter(({ body }) => body.endsWith(String(stamp))).map(({ body }) => body)).toEqual(expected);

    // On the page: each once, in the server's order, and nothing else of the thread twice.
    await eventually(async () => {
      const shown = await messages.evaluateAll((items) => items.map((item) => ({ seq: Number(item.getAttribute('data-seq')), body: item.querySelector('.chat-body')?.textContent ?? '' })));
      expect(shown.filter(({ body }) => body.endsWith(String(stamp))).map(({ body }) => body)).toEqual(expected);
      const seqs = shown.map(({ seq }) => seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs.at(-1)).toBe(stored.at(-1)!.seq);
    });
    await page.context().close();
  });
});
