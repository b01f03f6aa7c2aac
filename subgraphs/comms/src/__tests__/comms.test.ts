import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, demoId, encodeCursor } from '@mega/subgraph-kit';
import { DATABASE_DRIVERS, querySubgraph, TEST_GATEWAY_SECRET, type TestDatabase } from '@mega/test-utils';
import { startComms } from '../server.js';
import { messages } from '../store/tables.js';

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface MessagePage {
  edges: { cursor: string; node: { seq: number } }[];
  pageInfo: PageInfo;
}

const MESSAGE_PAGE = `query($id: ID!, $first: Int, $after: String, $before: String) {
  conversation(id: $id) {
    messages(first: $first, after: $after, before: $before) {
      edges { cursor node { seq } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;

describe.each(DATABASE_DRIVERS)('comms subgraph on $driver', ({ create }) => {
  let database: TestDatabase;
  let comms: Awaited<ReturnType<typeof startComms>>;

  beforeAll(async () => {
    database = await create();
    comms = await startComms({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, database: database.options, seedDemoData: true });
  });
  afterAll(async () => {
    await comms?.stop();
    await database?.drop();
  });

  const query = <T = Record<string, unknown>>(userId: string | null, document: string, variables?: Record<string, unknown>) =>
    querySubgraph<T>(comms.url, userId, document, variables);

  async function startConversation(viewerId: string, memberIds: string[], title: string | null = null): Promise<string> {
    const result = await query<{ startConversation: { id: string } }>(
      viewerId,
      `mutation($memberIds: [ID!]!, $title: String) { startConversation(memberIds: $memberIds, title: $title) { id } }`,
      { memberIds, title },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.startConversation.id;
  }

  const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { id seq body clientMutationId } }`;
  type Sent = { sendMessage: { id: string; seq: number; body: string; clientMutationId: string | null } };

  async function send(viewerId: string, conversationId: string, input: Record<string, unknown> = {}) {
    return query<Sent>(viewerId, SEND, { input: { conversationId, body: 'hello', ...input } });
  }

  async function sendMany(viewerId: string, conversationId: string, n: number): Promise<void> {
    for (let i = 1; i <= n; i += 1) {
      const result = await send(viewerId, conversationId, { body: `message ${i}`, productIds: i % 3 === 0 ? [randomUUID()] : [] });
      expect(result.errors).toBeUndefined();
    }
  }

  async function messagePage(viewerId: string, conversationId: string, args: { first?: number; after?: string | null; before?: string | null }) {
    const result = await query<{ conversation: { messages: MessagePage } | null }>(viewerId, MESSAGE_PAGE, { id: conversationId, ...args });
    return { result, page: result.data?.conversation?.messages, seqs: result.data?.conversation?.messages.edges.map((edge) => edge.node.seq) };
  }

  it('starts a conversation with the caller as a member and reuses the untitled one of the same two people', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const result = await query<{ startConversation: { id: string; title: string | null; members: { id: string }[]; unreadCount: number } }>(
      alice,
      `mutation($m: [ID!]!) { startConversation(memberIds: $m) { id title members { id } unreadCount } }`,
      { m: [bob] },
    );
    expect(result.errors).toBeUndefined();
    const started = result.data!.startConversation;
    expect(started.members.map((member) => member.id).sort()).toEqual([alice, bob].sort());
    expect(started).toMatchObject({ title: null, unreadCount: 0 });

    expect(await startConversation(bob, [alice])).toBe(started.id);
    expect(await startConversation(alice, [bob, alice])).toBe(started.id);
    const titled = await startConversation(alice, [bob], '  Plans  ');
    expect(titled).not.toBe(started.id);
    const again = await query<{ conversation: { title: string } }>(alice, `query($id: ID!) { conversation(id: $id) { title } }`, { id: titled });
    expect(again.data?.conversation.title).toBe('Plans');

    const retried = `mutation($m: [ID!]!, $c: String) { startConversation(memberIds: $m, title: "Group", clientMutationId: $c) { id } }`;
    const clientMutationId = randomUUID();
    const ids = await Promise.all(
      [1, 2].map(async () => (await query<{ startConversation: { id: string } }>(alice, retried, { m: [bob], c: clientMutationId })).data?.startConversation.id),
    );
    expect(ids[0]).toBeDefined();
    expect(ids[1]).toBe(ids[0]);
  });

  it('shows conversations and messages to members only through root fields, and refuses writes by others with NOT_FOUND', async () => {
    const [alice, bob, eve] = [randomUUID(), randomUUID(), randomUUID()];
    const id = await startConversation(alice, [bob]);
    expect((await send(bob, id, { body: 'secret' })).errors).toBeUndefined();

    const read = `query($id: ID!) { conversation(id: $id) { id messages { edges { node { body } } } } }`;
    const asMember = await query<{ conversation: { messages: { edges: { node: { body: string } }[] } } | null }>(bob, read, { id });
    expect(asMember.data?.conversation?.messages.edges.map((edge) => edge.node.body)).toEqual(['secret']);
    for (const viewer of [eve, null]) {
      const asOther = await query<{ conversation: unknown }>(viewer, read, { id });
      expect(asOther.errors).toBeUndefined();
      expect(asOther.data?.conversation).toBeNull();
    }

    const list = await query<{ conversations: { edges: { node: { id: string } }[] } }>(eve, `{ conversations { edges { node { id } } } }`);
    expect(list.data?.conversations.edges).toEqual([]);
    const anonymousList = await query(null, `{ conversations { edges { node { id } } } }`);
    expect(anonymousList.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    expect((await send(eve, id, { body: 'let me in' })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const markRead = await query(eve, `mutation($id: ID!) { markRead(conversationId: $id, seq: 1) { id } }`, { id });
    expect(markRead.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const unknown = await send(alice, randomUUID());
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('resolves Conversation and Message references for members only', async () => {
    const [alice, bob, eve] = [randomUUID(), randomUUID(), randomUUID()];
    const conversationId = await startConversation(alice, [bob]);
    const messageId = (await send(alice, conversationId, { body: 'ref' })).data!.sendMessage.id;
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Conversation { id lastMessage { body } }
      ... on Message { id body conversation { id } }
    } }`;
    const representations = [
      { __typename: 'Conversation', id: conversationId },
      { __typename: 'Message', id: messageId },
    ];
    const asMember = await query<{ _entities: unknown[] }>(bob, entities, { r: representations });
    expect(asMember.errors).toBeUndefined();
    expect(asMember.data?._entities).toEqual([
      { id: conversationId, lastMessage: { body: 'ref' } },
      { id: messageId, body: 'ref', conversation: { id: conversationId } },
    ]);
    for (const viewer of [eve, null]) {
      const asOther = await query<{ _entities: unknown[] }>(viewer, entities, { r: representations });
      expect(asOther.errors).toBeUndefined();
      expect(asOther.data?._entities).toEqual([null, null]);
    }
  });

  it("lists User.conversations for that user only and answers FORBIDDEN for anyone else's", async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const id = await startConversation(alice, [bob]);
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id conversations { edges { node { id } } } } } }`;
    const own = await query<{ _entities: { conversations: { edges: { node: { id: string } }[] } }[] }>(alice, entities, {
      r: [{ __typename: 'User', id: alice }],
    });
    expect(own.data?._entities[0]?.conversations.edges.map((edge) => edge.node.id)).toEqual([id]);
    for (const viewer of [bob, null]) {
      const other = await query<{ _entities: { conversations: unknown }[] }>(viewer, entities, { r: [{ __typename: 'User', id: alice }] });
      expect(other.data?._entities[0]?.conversations).toBeNull();
      expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('orders the conversation list by latest activity and pages through it with after', async () => {
    const alice = randomUUID();
    const ids = [];
    for (let i = 0; i < 3; i += 1) ids.push(await startConversation(alice, [randomUUID()]));
    await send(alice, ids[0]!);
    const listing = `query($first: Int, $after: String) { conversations(first: $first, after: $after) {
      edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
    type Listing = { conversations: { edges: { node: { id: string } }[]; pageInfo: PageInfo } };
    const first = await query<Listing>(alice, listing, { first: 2 });
    expect(first.data?.conversations.edges.map((edge) => edge.node.id)).toEqual([ids[0], ids[2]]);
    expect(first.data?.conversations.pageInfo.hasNextPage).toBe(true);
    const second = await query<Listing>(alice, listing, { first: 2, after: first.data?.conversations.pageInfo.endCursor });
    expect(second.data?.conversations.edges.map((edge) => edge.node.id)).toEqual([ids[1]]);
    expect(second.data?.conversations.pageInfo.hasNextPage).toBe(false);
  });

  it('returns the same message for a retried sendMessage and stores it only once', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const id = await startConversation(alice, [bob]);
    const clientMutationId = `cm-${randomUUID()}`;
    const first = await send(alice, id, { body: 'once', clientMutationId });
    const retry = await send(alice, id, { body: 'once', clientMutationId });
    const racing = await Promise.all([1, 2, 3].map(() => send(alice, id, { body: 'once', clientMutationId })));
    expect(first.data?.sendMessage).toMatchObject({ seq: 1, clientMutationId });
    for (const again of [retry, ...racing]) expect(again.data?.sendMessage.id).toBe(first.data?.sendMessage.id);
    const [row] = await comms.database.db
      .select({ n: count() })
      .from(messages)
      .where(and(eq(messages.conversationId, id), eq(messages.clientMutationId, clientMutationId)));
    expect(row?.n).toBe(1);

    const asBob = await query<{ conversation: { lastMessage: { seq: number; clientMutationId: string | null } } }>(
      bob,
      `query($id: ID!) { conversation(id: $id) { lastMessage { seq clientMutationId } } }`,
      { id },
    );
    expect(asBob.data?.conversation.lastMessage).toEqual({ seq: 1, clientMutationId: null });
  });

  it('assigns consecutive seqs without gaps to 20 concurrent sends', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const id = await startConversation(alice, [bob]);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => send(i % 2 ? alice : bob, id, { body: `m${i}` })));
    for (const result of results) expect(result.errors).toBeUndefined();
    const seqs = results.map((result) => result.data!.sendMessage.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const { seqs: stored } = await messagePage(alice, id, { first: 100 });
    expect(stored).toEqual(seqs);
  });

  it('pages messages: the newest by default in ascending order, before into history, after to catch up', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const id = await startConversation(alice, [bob]);
    const empty = await messagePage(alice, id, {});
    expect(empty.seqs).toEqual([]);
    expect(empty.page?.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
    await sendMany(alice, id, 25);

    const byDefault = await messagePage(alice, id, {});
    expect(byDefault.seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 6));

    const newest = await messagePage(alice, id, { first: 10 });
    expect(newest.seqs).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    expect(newest.page?.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });

    const older = await messagePage(alice, id, { first: 10, before: newest.page?.pageInfo.startCursor });
    expect(older.seqs).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(older.page?.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });

    const oldest = await messagePage(alice, id, { first: 10, before: older.page?.pageInfo.startCursor });
    expect(oldest.seqs).toEqual([1, 2, 3, 4, 5]);
    expect(oldest.page?.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });

    const catchUp = await messagePage(alice, id, { first: 3, after: oldest.page?.pageInfo.endCursor });
    expect(catchUp.seqs).toEqual([6, 7, 8]);
    expect(catchUp.page?.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });

    const between = await messagePage(alice, id, { first: 10, after: catchUp.page?.pageInfo.endCursor, before: newest.page?.pageInfo.startCursor });
    expect(between.seqs).toEqual([9, 10, 11, 12, 13, 14, 15]);
    expect(between.page?.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });

    const upToDate = await messagePage(alice, id, { after: newest.page?.pageInfo.endCursor });
    expect(upToDate.seqs).toEqual([]);
    expect(upToDate.page?.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
  });

  it('rejects first above 100 or below 1 and cursors that are not ours with BAD_USER_INPUT', async () => {
    const alice = randomUUID();
    const id = await startConversation(alice, [randomUUID()]);
    const cases: [Record<string, unknown>, string][] = [
      [{ first: 101 }, 'first'],
      [{ first: 0 }, 'first'],
      [{ after: 'garbage' }, 'after'],
      [{ before: 'garbage' }, 'before'],
      [{ after: encodeCursor(['not-a-seq']) }, 'after'],
      [{ before: encodeCursor([1.5]) }, 'before'],
      [{ after: encodeCursor([-1]) }, 'after'],
    ];
    for (const [args, argument] of cases) {
      const { result } = await messagePage(alice, id, args);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
    const list = await query(alice, `{ conversations(first: 101) { edges { cursor } } }`);
    expect(list.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    const garbage = await query(alice, `{ conversations(after: "garbage") { edges { cursor } } }`);
    expect(garbage.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('counts unread messages per viewer and only moves the read marker forward', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const id = await startConversation(alice, [bob]);
    await sendMany(alice, id, 3);
    const unread = async (viewer: string) =>
      (await query<{ conversation: { unreadCount: number } }>(viewer, `query($id: ID!) { conversation(id: $id) { unreadCount } }`, { id }))
        .data?.conversation.unreadCount;
    expect(await unread(bob)).toBe(3);
    expect(await unread(alice)).toBe(0);

    const markRead = (seq: number) =>
      query<{ markRead: { unreadCount: number } }>(bob, `mutation($id: ID!, $seq: Int!) { markRead(conversationId: $id, seq: $seq) { unreadCount } }`, {
        id,
        seq,
      });
    expect((await markRead(2)).data?.markRead.unreadCount).toBe(1);
    expect((await markRead(1)).data?.markRead.unreadCount).toBe(1);
    expect((await markRead(1000)).data?.markRead.unreadCount).toBe(0);
    await send(alice, id);
    expect(await unread(bob)).toBe(1);
    expect((await markRead(-1)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'seq' });
    await send(bob, id, { body: 'my reply marks everything read' });
    expect(await unread(bob)).toBe(0);
    expect(await unread(alice)).toBe(1);
  });

  it('loads a page of 50 messages with senders and attachments in a constant number of SQL queries', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const id = await startConversation(alice, [bob]);
    await sendMany(alice, id, 60);
    const page = `query($id: ID!, $first: Int) { conversation(id: $id) { id members { id } lastMessage { seq } unreadCount
      messages(first: $first) { edges { node { id seq body sentAt sender { id } conversation { id }
        attachments { __typename ... on Product { id } ... on MediaAsset { id } } } } } } }`;
    const cost = async (first: number) => {
      const before = comms.database.queries.count;
      const result = await query<{ conversation: { messages: { edges: { node: { attachments: unknown[] } }[] } } }>(bob, page, { id, first });
      expect(result.errors).toBeUndefined();
      expect(result.data?.conversation.messages.edges).toHaveLength(first);
      return comms.database.queries.count - before;
    };
    const five = await cost(5);
    const fifty = await cost(50);
    expect(fifty).toBe(five);
    expect(fifty).toBeLessThanOrEqual(4);
  });

  it('lists conversations with members, last message, unread count and messages in a constant number of SQL queries', async () => {
    const alice = randomUUID();
    const listing = `{ conversations(first: 100) { edges { node { id members { id } lastMessage { body sender { id } }
      unreadCount messages(first: 3) { edges { node { seq } } } } } } }`;
    const cost = async () => {
      const before = comms.database.queries.count;
      const result = await query<{ conversations: { edges: unknown[] } }>(alice, listing);
      expect(result.errors).toBeUndefined();
      return { queries: comms.database.queries.count - before, conversations: result.data!.conversations.edges.length };
    };
    const addConversations = async (n: number) => {
      for (let i = 0; i < n; i += 1) {
        const id = await startConversation(alice, [randomUUID(), randomUUID()]);
        await sendMany(alice, id, 2);
      }
    };
    await addConversations(2);
    const few = await cost();
    await addConversations(10);
    const many = await cost();
    expect([few.conversations, many.conversations]).toEqual([2, 12]);
    expect(many.queries).toBe(few.queries);
  });

  it('resolves 100 Message and 100 Conversation references in a constant number of SQL queries', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const conversationIds: string[] = [];
    for (let i = 0; i < 5; i += 1) conversationIds.push(await startConversation(alice, [bob, randomUUID()]));
    const messageIds: string[] = [];
    for (let i = 0; i < 100; i += 1) messageIds.push((await send(alice, conversationIds[i % 5]!, { body: `m${i}` })).data!.sendMessage.id);

    const messageEntities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Message { id body sender { id } conversation { id unreadCount } } } }`;
    let before = comms.database.queries.count;
    const messagesResult = await query<{ _entities: unknown[] }>(bob, messageEntities, {
      r: messageIds.map((id) => ({ __typename: 'Message', id })),
    });
    expect(messagesResult.data?._entities.filter(Boolean)).toHaveLength(100);
    expect(comms.database.queries.count - before).toBe(2);

    const conversationEntities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Conversation { id unreadCount members { id } lastMessage { id } } } }`;
    const representations = Array.from({ length: 100 }, (_, i) => ({ __typename: 'Conversation', id: i < 5 ? conversationIds[i] : randomUUID() }));
    before = comms.database.queries.count;
    const conversationsResult = await query<{ _entities: unknown[] }>(bob, conversationEntities, { r: representations });
    expect(conversationsResult.data?._entities).toHaveLength(100);
    expect(conversationsResult.data?._entities.filter(Boolean)).toHaveLength(5);
    expect(comms.database.queries.count - before).toBe(3);
  });

  it('checks thousands of memberships in one query (the per-event check of a big conversation\'s subscribers)', async () => {
    const members = [DEMO_USERS.alice.id, DEMO_USERS.bob.id];
    const id = await comms.services.conversations.start({ creatorId: members[0]!, memberIds: members, title: 'Membership check' });
    const strangers = Array.from({ length: 3000 }, () => randomUUID());
    const pairs = [...strangers, ...members, 'not-a-uuid'].map((userId) => ({ conversationId: id, userId }));
    pairs.push({ conversationId: randomUUID(), userId: members[0]! }, { conversationId: id.toUpperCase(), userId: members[1]!.toUpperCase() });
    const answers = await comms.services.conversations.areMembers(pairs);
    expect(answers.slice(0, 3000).every((answer) => !answer)).toBe(true);
    expect(answers.slice(3000)).toEqual([true, true, false, false, true]);
  });

  it('enforces the documented limits on bodies, attachments, members and titles', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const id = await startConversation(alice, [bob]);
    const code = async (input: Record<string, unknown>) => (await send(alice, id, input)).errors?.[0]?.extensions;

    expect(await code({ body: '   ' })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'body' });
    expect(await code({ body: 'x'.repeat(4001) })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'body' });
    expect(await code({ productIds: Array.from({ length: 6 }, () => randomUUID()), attachmentIds: Array.from({ length: 5 }, () => randomUUID()) })).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect(await code({ attachmentIds: ['not-a-uuid'] })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'attachmentIds' });
    expect(await code({ productIds: ['not-a-uuid'] })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'productIds' });
    expect(await code({ clientMutationId: 'x'.repeat(129) })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'clientMutationId' });
    expect((await send(alice, 'not-a-uuid')).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const longest = await send(alice, id, { body: `  ${'x'.repeat(4000)}  ` });
    expect(longest.data?.sendMessage.body).toHaveLength(4000);
    const productOnly = await send(alice, id, { body: '', productIds: [randomUUID()], attachmentIds: Array.from({ length: 9 }, () => randomUUID()) });
    expect(productOnly.errors).toBeUndefined();
    expect(productOnly.data?.sendMessage.body).toBe('');

    const start = async (memberIds: string[], title: string | null = null) =>
      (await query(alice, `mutation($m: [ID!]!, $t: String) { startConversation(memberIds: $m, title: $t) { id } }`, { m: memberIds, t: title }))
        .errors?.[0]?.extensions;
    expect(await start([])).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'memberIds' });
    expect(await start([alice])).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'memberIds' });
    expect(await start(Array.from({ length: 50 }, () => randomUUID()))).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'memberIds' });
    expect(await start(Array.from({ length: 49 }, () => randomUUID()))).toBeUndefined();
    expect(await start([bob, 'not-a-uuid'])).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'memberIds' });
    expect(await start([bob], 'x'.repeat(101))).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'title' });
    expect(await start([bob], 'x'.repeat(100))).toBeUndefined();

    const malformed = await query<{ conversation: unknown }>(alice, `{ conversation(id: "not-a-uuid") { id } }`);
    expect(malformed.errors).toBeUndefined();
    expect(malformed.data?.conversation).toBeNull();
  });

  it('seeds the demo conversations with messages pointing at commerce products and media product images', async () => {
    const { alice, dave } = DEMO_USERS;
    const id = demoId('conversation:alice-bob');
    const read = `query($id: ID!) { conversation(id: $id) { id members { id } messages { edges { node { seq sender { id }
      attachments { __typename ... on Product { id } ... on MediaAsset { id } } } } } } }`;
    type Seeded = {
      conversation: {
        members: { id: string }[];
        messages: { edges: { node: { seq: number; sender: { id: string }; attachments: { __typename: string; id: string }[] } }[] };
      } | null;
    };
    const asAlice = await query<Seeded>(alice.id, read, { id });
    const nodes = asAlice.data!.conversation!.messages.edges.map((edge) => edge.node);
    expect(nodes.map((node) => node.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(nodes.flatMap((node) => node.attachments)).toEqual([
      { __typename: 'Product', id: demoId('product:wireless-headphones') },
      { __typename: 'MediaAsset', id: demoId('media:product-image:wireless-headphones') },
    ]);
    expect(asAlice.data!.conversation!.members.map((member) => member.id).sort()).toEqual([alice.id, DEMO_USERS.bob.id].sort());
    expect((await query<Seeded>(dave.id, read, { id })).data?.conversation).toBeNull();
    const daves = await query<{ conversations: { edges: { node: { id: string } }[] } }>(dave.id, `{ conversations { edges { node { id } } } }`);
    expect(daves.data?.conversations.edges.map((edge) => edge.node.id)).toEqual([demoId('conversation:carol-dave')]);
  });
});
