import { randomBytes, randomUUID } from 'node:crypto';
import { startAccounts } from '@mega/accounts';
import { startCommerce } from '@mega/commerce';
import { startComms } from '@mega/comms';
import { createGateway } from '@mega/gateway';
import { startMedia } from '@mega/media';
import { createLogger, type SubgraphStartOptions } from '@mega/subgraph-kit';
import { createPostgresDatabase, postGraphQL, TEST_GATEWAY_SECRET, type TestDatabase } from '@mega/test-utils';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const REDIS_URL = 'redis://127.0.0.1:6379';
const MESSAGE_ADDED = `subscription($id: ID!, $after: Int) {
  messageAdded(conversationId: $id, afterSeq: $after) { id seq body sender { id displayName } }
}`;
type Added = { messageAdded: { id: string; seq: number; body: string; sender: { id: string; displayName: string } } };
type Sent = { id: string; seq: number; body: string; senderId: string };

describe('subscriptions across instances (Redis, two gateways, two comms instances on one PostgreSQL database)', () => {
  const prefix = `mega:test:${randomUUID()}:`;
  const stoppers: (() => Promise<unknown>)[] = [];
  let gatewayA: string;
  let gatewayB: string;
  let client: Client | undefined;

  beforeAll(async () => {
    const database = async (): Promise<TestDatabase> => {
      const created = await createPostgresDatabase();
      stoppers.push(() => created.drop());
      return created;
    };
    const [accountsDb, commsDb, mediaDb, commerceDb] = await Promise.all([database(), database(), database(), database()]);
    const options = (db: TestDatabase): SubgraphStartOptions => ({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, database: db.options, redisUrl: REDIS_URL });
    const accounts = await startAccounts({ ...options(accountsDb), loginThrottleKeyPrefix: `${prefix}login` });
    stoppers.push(() => accounts.stop());
    const media = await startMedia(options(mediaDb));
    stoppers.push(() => media.stop());
    const commerce = await startCommerce({ ...options(commerceDb), fulfilmentStepMs: 0 });
    stoppers.push(() => commerce.stop());
    // The comms instances share one database (migrations run once, then the second finds them done).
    const comms1 = await startComms(options(commsDb));
    stoppers.push(() => comms1.stop());
    const comms2 = await startComms(options(commsDb));
    stoppers.push(() => comms2.stop());

    const gateway = async (name: string, commsUrl: string) => {
      const instance = createGateway({
        port: 0,
        gatewaySecret: TEST_GATEWAY_SECRET,
        subgraphUrls: { accounts: accounts.url, comms: commsUrl, media: media.url, commerce: commerce.url },
        redisUrl: REDIS_URL,
        rateLimits: { keyPrefix: `${prefix}rate-limit` },
        logger: createLogger(`gateway-${name}`, process.env.LOG_LEVEL ?? 'warn'),
      });
      const { url } = await instance.start();
      stoppers.push(() => instance.stop());
      return url;
    };
    gatewayA = await gateway('a', comms1.url);
    gatewayB = await gateway('b', comms2.url);
  });

  afterAll(async () => {
    await client?.dispose();
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  });

  async function signUp(displayName: string): Promise<{ id: string; token: string }> {
    const handle = `u_${randomBytes(6).toString('hex')}`;
    const result = await postGraphQL<{ signUp: { accessToken: string; user: { id: string } } }>(gatewayA, {
      query: 'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }',
      variables: { input: { email: `${handle}@example.com`, password: 'correct horse battery', handle, displayName } },
    });
    expect(result.errors).toBeUndefined();
    return { id: result.data!.signUp.user.id, token: result.data!.signUp.accessToken };
  }

  async function send(gatewayUrl: string, sender: { id: string; token: string }, conversationId: string, body: string): Promise<Sent> {
    const result = await postGraphQL<{ sendMessage: { id: string; seq: number } }>(
      gatewayUrl,
      { query: 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id seq } }', variables: { input: { conversationId, body } } },
      { authorization: `Bearer ${sender.token}` },
    );
    expect(result.errors).toBeUndefined();
    return { ...result.data!.sendMessage, body, senderId: sender.id };
  }

  it('delivers to a client on gateway A, exactly once and in order, with the sender resolved, the messages sent through gateway B and A', async () => {
    const alice = await signUp('Alice Multi');
    const bob = await signUp('Bob Multi');
    const started = await postGraphQL<{ startConversation: { id: string } }>(
      gatewayA,
      { query: 'mutation($m: [ID!]!) { startConversation(memberIds: $m, title: "two instances") { id } }', variables: { m: [bob.id] } },
      { authorization: `Bearer ${alice.token}` },
    );
    expect(started.errors).toBeUndefined();
    const conversationId = started.data!.startConversation.id;

    // Bob listens on gateway A (comms instance 1).
    client = createClient({ url: gatewayA.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${bob.token}` } });
    const received: FormattedExecutionResult<Added, unknown>[] = [];
    let failure: unknown;
    client.subscribe<Added>(
      { query: MESSAGE_ADDED, variables: { id: conversationId, after: 0 } },
      { next: (result) => void received.push(result), error: (error) => (failure = error), complete: () => undefined },
    );
    const receivedSeqs = () => {
      if (failure) throw new Error(`subscription failed: ${JSON.stringify(failure)}`);
      return received.map((result) => result.data?.messageAdded.seq);
    };

    // 1 through A, received: from here on the subscription (its listener on comms 1) is live.
    const sent = [await send(gatewayA, alice, conversationId, 'hello via A')];
    await expect.poll(receivedSeqs).toEqual([1]);

    // Then through B only (comms 2): without the Redis bus, comms 1 and gateway A never hear of them.
    for (let i = 0; i < 5; i++) sent.push(await send(gatewayB, i % 2 ? alice : bob, conversationId, `via B ${i}`));
    await expect.poll(receivedSeqs).toEqual([1, 2, 3, 4, 5, 6]);

    // Then both gateways at once, racing each other (mostly B).
    sent.push(...(await Promise.all(Array.from({ length: 12 }, (_, i) => send(i % 3 ? gatewayB : gatewayA, i % 2 ? alice : bob, conversationId, `race ${i}`)))));
    const all = Array.from({ length: 18 }, (_, i) => i + 1);
    await expect.poll(receivedSeqs).toEqual(all);

    // No late duplicate: the next event is the next message.
    sent.push(await send(gatewayB, alice, conversationId, 'last via B'));
    await expect.poll(receivedSeqs).toEqual([...all, 19]);

    expect(received.flatMap((result) => result.errors ?? [])).toEqual([]);
    const names = new Map([[alice.id, 'Alice Multi'], [bob.id, 'Bob Multi']]);
    const expected = [...sent]
      .sort((a, b) => a.seq - b.seq)
      .map((message) => ({ id: message.id, seq: message.seq, body: message.body, sender: { id: message.senderId, displayName: names.get(message.senderId) } }));
    expect(received.map((result) => result.data!.messageAdded)).toEqual(expected);
  });
});
