import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSubgraphSocket, type SubgraphSocket, type SubgraphSubscription } from '@mega/subgraph-kit/subscription-client';
import { DATABASE_DRIVERS, querySubgraph, TEST_GATEWAY_SECRET, type TestDatabase } from '@mega/test-utils';
import { startComms } from '../server.js';

const MESSAGE_ADDED = `subscription($id: ID!, $after: Int) { messageAdded(conversationId: $id, afterSeq: $after) { id seq body sender { id } clientMutationId } }`;
const TYPING = `subscription($id: ID!) { typing(conversationId: $id) { conversationId user { id } at } }`;
type Added = { messageAdded: { id: string; seq: number; body: string; sender: { id: string }; clientMutationId: string | null } };
type Typing = { typing: { conversationId: string; user: { id: string }; at: string } };

describe.each(DATABASE_DRIVERS)('comms subscriptions on $driver', ({ create }) => {
  let database: TestDatabase;
  let comms: Awaited<ReturnType<typeof startComms>>;
  let socket: SubgraphSocket;

  beforeAll(async () => {
    database = await create();
    comms = await startComms({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, database: database.options });
    socket = connectSubgraphSocket(comms.url, TEST_GATEWAY_SECRET);
  });
  afterAll(async () => {
    await socket?.close();
    await comms?.stop();
    await database?.drop();
  });

  async function conversationOf(creator: string, others: string[], title = 'subscriptions'): Promise<string> {
    const result = await querySubgraph<{ startConversation: { id: string } }>(
      comms.url,
      creator,
      `mutation($m: [ID!]!, $t: String) { startConversation(memberIds: $m, title: $t) { id } }`,
      { m: others, t: title },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.startConversation.id;
  }

  async function send(sender: string, conversationId: string, body: string, clientMutationId?: string): Promise<number> {
    const result = await querySubgraph<{ sendMessage: { seq: number } }>(
      comms.url,
      sender,
      `mutation($input: SendMessageInput!) { sendMessage(input: $input) { seq } }`,
      { input: { conversationId, body, ...(clientMutationId ? { clientMutationId } : {}) } },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.sendMessage.seq;
  }

  /** Reads events until one has `seq`; fails on an error result. */
  async function seqsUntil(subscription: SubgraphSubscription<Added>, seq: number): Promise<number[]> {
    const seqs: number[] = [];
    while (seqs[seqs.length - 1] !== seq) {
      const result = await subscription.next();
      expect(result.errors).toBeUndefined();
      seqs.push(result.data!.messageAdded.seq);
    }
    return seqs;
  }

  const errorCodes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.map((error) => error.extensions?.code);

  it('refuses anonymous users, non-members and malformed ids when subscribing, with the codes of the queries', async () => {
    const [alice, bob, mallory] = [randomUUID(), randomUUID(), randomUUID()];
    const id = await conversationOf(alice, [bob]);
    const cases: [string | null, string, string][] = [
      [null, id, 'UNAUTHENTICATED'],
      [mallory, id, 'NOT_FOUND'],
      [alice, 'not-a-uuid', 'NOT_FOUND'],
      [alice, randomUUID(), 'NOT_FOUND'],
    ];
    for (const [user, conversationId, code] of cases) {
      for (const document of [MESSAGE_ADDED, TYPING]) {
        const subscription = socket.subscribe(user, document, { id: conversationId, after: 0 });
        expect(errorCodes(await subscription.next())).toEqual([code]);
        await subscription.completed;
      }
    }
    const negative = socket.subscribe(alice, MESSAGE_ADDED, { id, after: -1 });
    expect(errorCodes(await negative.next())).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a subscribe whose signed identity does not match the operation', async () => {
    const subscription = socket.subscribe(randomUUID(), MESSAGE_ADDED, { id: randomUUID(), after: 0 });
    expect(await subscription.next()).toBeDefined(); // a valid one is answered (NOT_FOUND): the connection works
    const forged = new Promise<unknown>((resolve) => {
      socket.client.subscribe(
        { query: MESSAGE_ADDED, variables: { id: randomUUID() }, extensions: { identity: { 'x-mega-user': randomUUID() } } },
        { next: () => undefined, error: resolve, complete: () => resolve('completed') },
      );
    });
    expect(await forged).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
  });

  it('replays stored messages after afterSeq, then continues live without gap or duplicate while messages are being sent', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const id = await conversationOf(alice, [bob]);
    for (let i = 1; i <= 5; i++) await send(alice, id, `before ${i}`);
    // Make the seam happen every time: while the replay reads the store, messages 6-8 commit
    // before the read (so they are both stored and buffered as events) and 9-10 after it (events only).
    const messages = comms.services.messages;
    const pages = messages.pages.bind(messages);
    let seamRaced = false;
    messages.pages = async (ranges) => {
      if (seamRaced) return pages(ranges);
      seamRaced = true;
      for (let i = 6; i <= 8; i++) await send(i % 2 ? alice : bob, id, `during ${i}`);
      const read = await pages(ranges);
      await Promise.all([send(alice, id, 'during 9'), send(bob, id, 'during 10')]);
      return read;
    };
    try {
      const subscription = socket.subscribe<Added>(bob, MESSAGE_ADDED, { id, after: 2 });
      // More sends race with all of that.
      const sending = Promise.all(Array.from({ length: 15 }, (_, i) => send(i % 2 ? alice : bob, id, `racing ${i}`)));
      const seqs = await seqsUntil(subscription, 25);
      await sending;
      expect(seamRaced).toBe(true);
      expect(seqs).toEqual(Array.from({ length: 23 }, (_, i) => i + 3));
      // A retried send publishes its message again; subscribers get it once.
      const cm = `retry-${randomUUID()}`;
      expect(await send(alice, id, 'retried', cm)).toBe(26);
      expect(await send(alice, id, 'retried', cm)).toBe(26);
      await send(alice, id, 'after');
      expect(await seqsUntil(subscription, 27)).toEqual([26, 27]);
      subscription.unsubscribe();
    } finally {
      messages.pages = pages;
    }
  });

  it('gives live messages only when afterSeq is omitted, with clientMutationId for the sender only', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const id = await conversationOf(alice, [bob]);
    for (let i = 1; i <= 3; i++) await send(alice, id, `old ${i}`);
    const forBob = socket.subscribe<Added>(bob, MESSAGE_ADDED, { id });
    const forAlice = socket.subscribe<Added>(alice, MESSAGE_ADDED, { id });
    // Send until both listeners are live; whatever arrives first, nothing stored before is replayed.
    const first = Promise.all([forBob.next(), forAlice.next()]);
    let arrived = false;
    void first.then(() => (arrived = true));
    let sent = 0;
    while (!arrived) sent = await send(alice, id, 'live', `cm-${randomUUID()}`);
    const [bobFirst, aliceFirst] = await first;
    expect(bobFirst.data!.messageAdded.seq).toBeGreaterThan(3);
    expect(bobFirst.data!.messageAdded.clientMutationId).toBeNull();
    expect(aliceFirst.data!.messageAdded.clientMutationId).toMatch(/^cm-/);
    const rest = await seqsUntil(forBob, sent);
    expect([bobFirst.data!.messageAdded.seq, ...rest]).toEqual(Array.from({ length: sent - bobFirst.data!.messageAdded.seq + 1 }, (_, i) => bobFirst.data!.messageAdded.seq + i));
    forBob.unsubscribe();
    forAlice.unsubscribe();
  });

  it("executes a live message once for all readers, but per reader when the selection holds the viewer's own state", async () => {
    const [alice, bob, carol] = [randomUUID(), randomUUID(), randomUUID()];
    const id = await conversationOf(alice, [bob, carol], 'read state');
    await send(alice, id, 'one');
    await send(alice, id, 'two');
    const read = await querySubgraph(comms.url, bob, 'mutation($id: ID!) { markRead(conversationId: $id, seq: 2) { unreadCount } }', { id });
    expect(read.errors).toBeUndefined();
    const WITH_UNREAD = 'subscription($id: ID!, $after: Int) { messageAdded(conversationId: $id, afterSeq: $after) { seq conversation { unreadCount } } }';
    type Unread = { messageAdded: { seq: number; conversation: { unreadCount: number } } };
    const forBob = socket.subscribe<Unread>(bob, WITH_UNREAD, { id, after: 2 });
    const forCarol = socket.subscribe<Unread>(carol, WITH_UNREAD, { id, after: 2 });
    const plainForBob = socket.subscribe<Added>(bob, MESSAGE_ADDED, { id, after: 2 });
    const plainForCarol = socket.subscribe<Added>(carol, MESSAGE_ADDED, { id, after: 2 });
    // Once each has message 3 (stored or live), message 4 can only come live: the path that shares.
    await send(alice, id, 'three');
    for (const subscription of [forBob, forCarol, plainForBob, plainForCarol]) expect((await subscription.next()).errors).toBeUndefined();
    const four = await send(alice, id, 'four');
    const [bobs, carols] = [(await forBob.next()).data!.messageAdded, (await forCarol.next()).data!.messageAdded];
    expect(bobs).toEqual({ seq: four, conversation: { unreadCount: 2 } });
    expect(carols).toEqual({ seq: four, conversation: { unreadCount: 4 } });
    const [plainBob, plainCarol] = [(await plainForBob.next()).data!.messageAdded, (await plainForCarol.next()).data!.messageAdded];
    expect(plainBob).toEqual(plainCarol);
    expect(plainBob).toMatchObject({ seq: four, body: 'four', sender: { id: alice }, clientMutationId: null });
    for (const subscription of [forBob, forCarol, plainForBob, plainForCarol]) subscription.unsubscribe();
  });

  it('stops a member who was removed with NOT_FOUND at the next event, while the others keep receiving', async () => {
    const [alice, bob, carol] = [randomUUID(), randomUUID(), randomUUID()];
    const id = await conversationOf(alice, [bob, carol], 'three');
    await send(alice, id, 'hello');
    const forCarol = socket.subscribe<Added>(carol, MESSAGE_ADDED, { id, after: 0 });
    const forBob = socket.subscribe<Added>(bob, MESSAGE_ADDED, { id, after: 0 });
    expect(await seqsUntil(forCarol, 1)).toEqual([1]);
    expect(await seqsUntil(forBob, 1)).toEqual([1]);
    expect(await comms.services.conversations.removeMember(id, carol)).toBe(true);
    await send(alice, id, 'carol may not read this');
    const last = await forCarol.next();
    expect(errorCodes(last)).toEqual(['NOT_FOUND']);
    expect(last.data?.messageAdded).toBeUndefined();
    await forCarol.completed;
    expect(forCarol.received.some((result) => result.data?.messageAdded.seq === 2)).toBe(false);
    expect(await seqsUntil(forBob, 2)).toEqual([2]);
  });

  it('publishes setTyping for members at most once per interval, and delivers other members typing to subscribers', async () => {
    const [alice, bob, mallory] = [randomUUID(), randomUUID(), randomUUID()];
    const id = await conversationOf(alice, [bob]);
    const SET_TYPING = `mutation($id: ID!) { setTyping(conversationId: $id) }`;
    const published = await comms.services.events.listen('typing', id);
    expect((await querySubgraph<{ setTyping: boolean }>(comms.url, alice, SET_TYPING, { id })).data?.setTyping).toBe(true);
    expect((await published.next()).value).toMatchObject({ conversationId: id, userId: alice });
    expect((await querySubgraph<{ setTyping: boolean }>(comms.url, alice, SET_TYPING, { id })).data?.setTyping).toBe(false);
    expect(errorCodes(await querySubgraph(comms.url, mallory, SET_TYPING, { id }))).toEqual(['NOT_FOUND']);
    await published.return();

    const forBob = socket.subscribe<Typing>(bob, TYPING, { id });
    const first = forBob.next();
    let arrived = false;
    void first.then(() => (arrived = true));
    while (!arrived) {
      // Bob's own typing comes first on the bus each time: it must never reach him.
      comms.services.events.publish('typing', id, { conversationId: id, userId: bob, at: new Date().toISOString() });
      comms.services.events.publish('typing', id, { conversationId: id, userId: alice, at: new Date().toISOString() });
      await new Promise((resolve) => setImmediate(resolve));
    }
    const event = (await first).data!.typing;
    expect(event).toMatchObject({ conversationId: id, user: { id: alice } });
    expect(new Date(event.at).getTime()).not.toBeNaN();
    expect(forBob.received.every((result) => result.data?.typing.user.id === alice)).toBe(true);
    forBob.unsubscribe();
  });
});
