import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabases, eventually, postGraphQL, queryAs, queryDatabase, startCluster, TEST_POSTGRES_ADMIN_URL, type Cluster } from '@mega/test-utils';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The smallest PNG: one transparent pixel. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
/** Anonymous requests per minute per address, low enough to reach here; counted in Redis under a key prefix of this run only. */
const ANONYMOUS_LIMIT = 8;

const SEND = /* GraphQL */ `
  mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { id seq clientMutationId } }
`;
const MESSAGE_ADDED = /* GraphQL */ `
  subscription Added($conversationId: ID!, $afterSeq: Int) { messageAdded(conversationId: $conversationId, afterSeq: $afterSeq) { seq body sender { displayName } } }
`;

interface Sent {
  sendMessage: { id: string; seq: number; clientMutationId: string };
}
interface Added {
  messageAdded: { seq: number; body: string; sender: { displayName: string } | null };
}

/**
 * A subscriber as a real client behaves: on any end of its subscription (the socket closed, the
 * subgraph went away) it waits a jittered 100-300 ms (graphql-ws clients wait 1-4 s by default)
 * and subscribes again on a new connection, through the load balancer, from the last seq it has
 * (`afterSeq`); each time counts as a reconnect.
 */
function startSubscriber(url: string, token: string, conversationId: string, afterSeq: number) {
  const received: Added['messageAdded'][] = [];
  const state = { reconnects: 0, lastSeq: afterSeq, stopped: false, client: undefined as Client | undefined, errors: [] as unknown[] };
  const open = () => {
    if (state.stopped) return;
    const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` } });
    state.client = client;
    let ended = false;
    const again = (reason: unknown) => {
      if (ended) return;
      ended = true;
      void client.dispose();
      if (state.stopped) return;
      state.errors.push(reason);
      state.reconnects += 1;
      setTimeout(open, 100 + Math.random() * 200);
    };
    client.subscribe<Added>(
      { query: MESSAGE_ADDED, variables: { conversationId, afterSeq: state.lastSeq } },
      {
        next: (result) => {
          const message = result.data?.messageAdded;
          if (!message) return again(result.errors);
          received.push(message);
          state.lastSeq = message.seq;
        },
        error: again,
        complete: () => again('complete'),
      },
    );
  };
  open();
  return {
    received,
    state,
    stop: async () => {
      state.stopped = true;
      await state.client?.dispose();
    },
  };
}

describe('the cluster profile: two gateways and two of each subgraph on PostgreSQL and Redis, behind a load balancer', () => {
  const prefix = `mega_e2e_cluster_${randomBytes(4).toString('hex')}`;
  let dataDir: string;
  let cluster: Cluster;
  let writer: { token: string; id: string };
  let reader: { token: string; id: string };
  let conversationId: string;
  /** Anonymous requests sent so far (they count against ANONYMOUS_LIMIT). */
  let anonymous = 0;

  const signUp = async (handle: string) => {
    anonymous += 1;
    const result = await postGraphQL<{ signUp: { accessToken: string; user: { id: string } } }>(cluster.url, {
      query: 'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }',
      variables: { input: { email: `${handle}@example.com`, password: 'correct horse battery', handle, displayName: handle } },
    });
    expect(result.errors).toBeUndefined();
    return { token: result.data!.signUp.accessToken, id: result.data!.signUp.user.id };
  };
  const gateways = () => cluster.instancesOf('gateway').map((each) => each.url);

  /**
   * A 1×1 PNG uploaded as `writer`: createUpload through the gateways, its bytes in one tus PATCH
   * to the upload URL (the media files' load balancer); resolves to its file link once READY.
   */
  const uploadImage = async (clientMutationId: string): Promise<string> => {
    const { createUpload } = await queryAs<{ createUpload: { uploadUrl: string; asset: { id: string } } }>(
      cluster.url,
      writer.token,
      'mutation($input: CreateUploadInput!) { createUpload(input: $input) { uploadUrl asset { id } } }',
      { input: { filename: 'dot.png', mimeType: 'image/png', byteSize: PNG.length, clientMutationId } },
    );
    expect(new URL(createUpload.uploadUrl).origin).toBe(cluster.mediaFiles.origin);
    const patch = await fetch(createUpload.uploadUrl, {
      method: 'PATCH',
      headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: PNG,
    });
    expect(patch.status).toBe(204);
    let url: string | null = null;
    await eventually(async () => {
      const { mediaAsset } = await queryAs<{ mediaAsset: { url: string | null } }>(cluster.url, writer.token, 'query($id: ID!) { mediaAsset(id: $id) { url } }', {
        id: createUpload.asset.id,
      });
      url = mediaAsset.url;
      expect(url).not.toBeNull();
    });
    return url!;
  };
  /** The file at `url`, which must be PNG's bytes. */
  const expectImage = async (url: string) => {
    const file = await fetch(url);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
  };
  const send = (url: string, clientMutationId: string) =>
    queryAs<Sent>(url, writer.token, SEND, { input: { conversationId, body: clientMutationId, clientMutationId } });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'mega-cluster-'));
    cluster = await startCluster({
      dataDir,
      gatewaySecret: 'cluster-secret-0123456789abcdef0123456789abcdef',
      postgresUrl: TEST_POSTGRES_ADMIN_URL,
      databasePrefix: prefix,
      redisUrl: REDIS_URL,
      healthCheckIntervalMs: 200,
      env: {
        RATE_LIMIT_PER_ANONYMOUS_IP: String(ANONYMOUS_LIMIT),
        RATE_LIMIT_PER_IP: '0',
        RATE_LIMIT_PER_USER: '0',
        RATE_LIMIT_KEY_PREFIX: prefix,
        SEED: 'false',
      },
    });
    [writer, reader] = await Promise.all([signUp(`writer${prefix.slice(-8)}`), signUp(`reader${prefix.slice(-8)}`)]);
    const started = await queryAs<{ startConversation: { id: string } }>(cluster.url, writer.token, 'mutation($ids: [ID!]!) { startConversation(memberIds: $ids) { id } }', {
      ids: [reader.id],
    });
    conversationId = started.startConversation.id;
  });

  afterAll(async () => {
    await cluster?.stop();
    await dropDatabases(TEST_POSTGRES_ADMIN_URL, ['accounts', 'comms', 'media', 'commerce'].map((subgraph) => `${prefix}_${subgraph}`));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('counts rate limits across both gateways in Redis: the limit hits at the same count as on one instance', async () => {
    const before = new Map(cluster.loadBalancer.forwarded);
    const statuses: number[] = [];
    for (let index = 0; index < ANONYMOUS_LIMIT + 2 - anonymous; index += 1) {
      const response = await fetch(cluster.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      statuses.push(response.status);
      await response.body?.cancel();
    }
    expect(statuses).toEqual([...Array<number>(ANONYMOUS_LIMIT - anonymous).fill(200), 429, 429]);
    // Both gateways answered some of them.
    for (const [backend, count] of cluster.loadBalancer.forwarded) expect(count).toBeGreaterThan(before.get(backend)!);
  });

  it('reads what was written whichever gateway serves the write and the read', async () => {
    const [one, two] = gateways() as [string, string];
    for (const [index, [writeVia, readVia]] of [[one, two], [two, one], [cluster.url, one], [cluster.url, two]].entries()) {
      const { sendMessage } = await send(writeVia!, `read-after-write-${index}`);
      const read = await queryAs<{ conversation: { messages: { edges: { node: { id: string; body: string } }[] } } }>(
        readVia!,
        reader.token,
        'query($id: ID!) { conversation(id: $id) { messages(first: 1) { edges { node { id body } } } } }',
        { id: conversationId },
      );
      expect(read.conversation.messages.edges.map((edge) => edge.node)).toEqual([{ id: sendMessage.id, body: `read-after-write-${index}` }]);
    }
  });

  it('delivers to a subscriber on one gateway the messages sent through the other, from either comms instance, with fields from accounts', async () => {
    const [one, two] = gateways() as [string, string];
    const { sendMessage: last } = await send(two, 'subscription-start');
    const subscriber = startSubscriber(one, reader.token, conversationId, last.seq);
    try {
      // Round-robin: consecutive writes through one gateway go to comms-1 and comms-2 in turn,
      // while the subscription listens on one of them: events cross instances through Redis.
      const seqs: number[] = [];
      for (let index = 0; index < 4; index += 1) seqs.push((await send(two, `across-${index}`)).sendMessage.seq);
      await eventually(() => expect(subscriber.received.map((message) => message.seq)).toEqual(seqs));
      expect(subscriber.received.every((message) => message.sender?.displayName.startsWith('writer'))).toBe(true);
      expect(subscriber.state.reconnects).toBe(0);
    } finally {
      await subscriber.stop();
    }
  });

  it('loses no acknowledged write and keeps a subscriber after one reconnect when one instance of every kind is killed', { timeout: 90_000 }, async () => {
    const imageBefore = await uploadImage('kill-image-before');
    await expectImage(imageBefore);
    const { sendMessage: start } = await send(cluster.url, 'kill-start');
    const subscriber = startSubscriber(cluster.url, reader.token, conversationId, start.seq);
    // The writer retries every failure with the same clientMutationId, as the shell's outbox does.
    const acknowledged = new Map<string, number>();
    const writing = { stop: false, attempts: 0 };
    const writerLoop = (async () => {
      for (let index = 0; !writing.stop; index += 1) {
        const clientMutationId = `kill-${index}`;
        for (let attempt = 0; ; attempt += 1) {
          writing.attempts += 1;
          const result = await postGraphQL<Sent>(cluster.url, { query: SEND, variables: { input: { conversationId, body: clientMutationId, clientMutationId } } }, {
            authorization: `Bearer ${writer.token}`,
          }).catch((error: unknown) => ({ errors: [error], data: undefined }));
          if (result.data?.sendMessage) {
            acknowledged.set(clientMutationId, result.data.sendMessage.seq);
            break;
          }
          if (attempt > 50) throw new Error(`${clientMutationId} was never acknowledged: ${JSON.stringify(result.errors)}`);
          await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30)); // a client's backoff between retries
        }
      }
    })();
    writerLoop.catch(() => undefined); // awaited below; a failure shows there
    try {
      await eventually(() => {
        expect(acknowledged.size).toBeGreaterThanOrEqual(5);
        expect(subscriber.received.length).toBeGreaterThanOrEqual(5);
      }, 20_000);
      // The gateway that holds the subscriber's WebSocket, so that the subscriber has to reconnect.
      const gateway = cluster.instancesOf('gateway').find((each) => cluster.loadBalancer.openWebSockets(each.origin) > 0);
      expect(gateway).toBeDefined();
      // All five signals in the same tick.
      await Promise.all([gateway!, ...(['accounts', 'comms', 'media', 'commerce'] as const).map((service) => cluster.instancesOf(service)[0]!)].map((each) => each.kill()));
      const acknowledgedAtKill = acknowledged.size;
      const lastSeqAtKill = Math.max(...acknowledged.values());

      // Writes go on, and the subscriber is back with events sent after the kill.
      await eventually(() => {
        expect(acknowledged.size).toBeGreaterThanOrEqual(acknowledgedAtKill + 10);
        expect(subscriber.received.at(-1)!.seq).toBeGreaterThan(lastSeqAtKill);
      }, 30_000);
      writing.stop = true;
      await writerLoop;
      const everySeq = [...acknowledged.values()];
      await eventually(() => expect(subscriber.received.map((message) => message.seq)).toEqual(expect.arrayContaining(everySeq)), 15_000);

      // Every acknowledged write is stored exactly once, and nothing else with these ids.
      const rows = await queryDatabase<{ client_mutation_id: string; seq: number }>(
        cluster.databaseUrls.comms,
        "select client_mutation_id, seq from comms.messages where conversation_id = $1 and client_mutation_id like 'kill-%'",
        [conversationId],
      );
      const stored = new Map<string, number[]>();
      for (const row of rows) stored.set(row.client_mutation_id, [...(stored.get(row.client_mutation_id) ?? []), row.seq]);
      for (const [clientMutationId, seq] of acknowledged) expect({ clientMutationId, seqs: stored.get(clientMutationId) }).toEqual({ clientMutationId, seqs: [seq] });
      expect([...stored.values()].every((seqs) => seqs.length === 1)).toBe(true);
      // The subscriber got every message once, in order, after exactly one reconnect.
      const seqs = subscriber.received.map((message) => message.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect({ reconnects: subscriber.state.reconnects, errors: subscriber.state.errors.length }).toEqual({ reconnects: 1, errors: 1 });
      // Media files and uploads go on through the media files' load balancer: media-2 serves the file media-1 took in, and takes a new one.
      const mediaOne = cluster.instancesOf('media')[0]!.origin;
      await expectImage(imageBefore);
      expect(cluster.mediaFiles.isUp(mediaOne)).toBe(false);
      await expectImage(await uploadImage('kill-image-after'));
    } finally {
      writing.stop = true;
      await writerLoop.catch(() => undefined);
      await subscriber.stop();
    }
  });
});
