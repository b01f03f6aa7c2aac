import { randomUUID } from 'node:crypto';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startComms } from '@mega/comms';
import { signIdentity, signSubscription } from '@mega/subgraph-kit/identity';
import { createPostgresDatabase, querySubgraph, TEST_GATEWAY_SECRET, type TestDatabase } from '@mega/test-utils';

const REDIS_URL = 'redis://127.0.0.1:6379';
const MESSAGE_ADDED = `subscription($id: ID!, $after: Int) { messageAdded(conversationId: $id, afterSeq: $after) { id seq body } }`;
type Added = { messageAdded: { id: string; seq: number; body: string } };

/** A graphql-ws client to one subgraph instance, signing the upgrade and each subscribe as the gateway does. */
function signedClient(url: string): Client {
  class SignedWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, {
        headers: signIdentity(TEST_GATEWAY_SECRET, { userId: null, requestId: randomUUID(), clientIp: '' }, { method: 'GET', path: '/graphql', body: '' }),
      });
    }
  }
  return createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: SignedWebSocket, retryAttempts: 0 });
}

/** Subscribes as `userId`; `next()` reads the results in order. */
function subscribe(client: Client, userId: string, variables: Record<string, unknown>) {
  const identity = signSubscription(TEST_GATEWAY_SECRET, { userId, requestId: randomUUID(), clientIp: '127.0.0.1' }, { query: MESSAGE_ADDED, variables });
  const results: FormattedExecutionResult<Added, unknown>[] = [];
  const waiting: ((result: FormattedExecutionResult<Added, unknown>) => void)[] = [];
  let failure: unknown;
  const unsubscribe = client.subscribe<Added>(
    { query: MESSAGE_ADDED, variables, extensions: { identity } },
    {
      next: (result) => {
        const waiter = waiting.shift();
        if (waiter) waiter(result);
        else results.push(result);
      },
      error: (error) => (failure = error),
      complete: () => undefined,
    },
  );
  return {
    unsubscribe,
    next(): Promise<FormattedExecutionResult<Added, unknown>> {
      if (failure) return Promise.reject(failure);
      const result = results.shift();
      return result ? Promise.resolve(result) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

describe('subgraph events across instances (Redis, two comms instances on one PostgreSQL database)', () => {
  let database: TestDatabase;
  let commsA: Awaited<ReturnType<typeof startComms>>;
  let commsB: Awaited<ReturnType<typeof startComms>>;
  let client: Client;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const options = { port: 0, gatewaySecret: TEST_GATEWAY_SECRET, database: database.options, redisUrl: REDIS_URL };
    commsA = await startComms(options);
    commsB = await startComms(options);
    client = signedClient(commsA.url);
  });
  afterAll(async () => {
    await client?.dispose();
    await commsA?.stop();
    await commsB?.stop();
    await database?.drop();
  });

  async function send(instance: typeof commsA, sender: string, conversationId: string, body: string): Promise<{ id: string; seq: number }> {
    const result = await querySubgraph<{ sendMessage: { id: string; seq: number } }>(
      instance.url,
      sender,
      `mutation($input: SendMessageInput!) { sendMessage(input: $input) { id seq } }`,
      { input: { conversationId, body } },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.sendMessage;
  }

  it('delivers to a subscriber on instance A, exactly once and in order, the messages sent through B and through A', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const started = await querySubgraph<{ startConversation: { id: string } }>(
      commsB.url,
      alice,
      `mutation($m: [ID!]!) { startConversation(memberIds: $m, title: "across instances") { id } }`,
      { m: [bob] },
    );
    const conversationId = started.data!.startConversation.id;
    const subscription = subscribe(client, bob, { id: conversationId, after: 0 });

    // 1 through A, received: from here on the subscription on A is live.
    const sent = [await send(commsA, alice, conversationId, 'via A')];
    const first = await subscription.next();
    expect(first.data?.messageAdded.seq).toBe(1);

    // Then only through B: without the Redis bus, A would never hear of them.
    for (let i = 0; i < 5; i++) sent.push(await send(commsB, i % 2 ? alice : bob, conversationId, `via B ${i}`));
    const received = [first];
    while (received.length < sent.length) received.push(await subscription.next());

    // Then both instances at once, racing each other.
    const racing = await Promise.all(Array.from({ length: 14 }, (_, i) => send(i % 2 ? commsA : commsB, i % 3 ? alice : bob, conversationId, `race ${i}`)));
    sent.push(...racing);
    while (received.length < sent.length) received.push(await subscription.next());

    expect(received.every((result) => result.errors === undefined)).toBe(true);
    const messages = received.map((result) => result.data!.messageAdded);
    expect(messages.map((message) => message.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const bySeq = new Map(sent.map((message) => [message.seq, message.id]));
    expect(messages.map((message) => message.id)).toEqual(messages.map((message) => bySeq.get(message.seq)));

    // Nothing more comes (no late duplicate): the next event is the next message.
    await send(commsB, alice, conversationId, 'last');
    expect((await subscription.next()).data?.messageAdded.seq).toBe(21);
    subscription.unsubscribe();
  });
});
