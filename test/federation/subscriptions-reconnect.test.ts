import { randomBytes } from 'node:crypto';
import { postGraphQL, startFederation, subscribeThroughGateway, type Federation } from '@mega/test-utils';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const MESSAGE_ADDED = `subscription($id: ID!, $after: Int) {
  messageAdded(conversationId: $id, afterSeq: $after) { id seq body sender { displayName } }
}`;
type Added = { messageAdded: { id: string; seq: number; body: string; sender: { displayName: string } } };

/** The sockets a graphql-ws client opened, so that a test can cut one. */
function recordingWebSocket(sockets: WebSocket[]) {
  return class RecordingWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols);
      sockets.push(this);
    }
  };
}

describe('subscriptions through the gateway after a cut socket', () => {
  let federation: Federation;
  let wsUrl: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    federation = await startFederation();
    wsUrl = federation.gatewayUrl.replace(/^http/, 'ws');
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await federation?.stop();
  });

  async function signUp(displayName: string): Promise<{ id: string; token: string }> {
    const handle = `u_${randomBytes(6).toString('hex')}`;
    const result = await postGraphQL<{ signUp: { accessToken: string; user: { id: string } } }>(federation.gatewayUrl, {
      query: 'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }',
      variables: { input: { email: `${handle}@example.com`, password: 'correct horse battery', handle, displayName } },
    });
    expect(result.errors).toBeUndefined();
    return { id: result.data!.signUp.user.id, token: result.data!.signUp.accessToken };
  }

  async function send(token: string, conversationId: string, body: string): Promise<number> {
    const result = await postGraphQL<{ sendMessage: { seq: number } }>(
      federation.gatewayUrl,
      { query: 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { seq } }', variables: { input: { conversationId, body } } },
      { authorization: `Bearer ${token}` },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.sendMessage.seq;
  }

  /** Subscribes with a fresh client (and socket); `received` fills as events come, `ended` settles on error or completion. */
  function subscribe(token: string, conversationId: string, afterSeq: number) {
    const sockets: WebSocket[] = [];
    const { client, results: received, ended } = subscribeThroughGateway<Added>(
      wsUrl,
      token,
      { query: MESSAGE_ADDED, variables: { id: conversationId, after: afterSeq } },
      recordingWebSocket(sockets),
    );
    clients.push(client);
    return { client, sockets, received, ended, seqs: () => received.map((result) => result.data?.messageAdded.seq) };
  }

  it('resumes with afterSeq after the socket is cut and ends with every message exactly once, in order', async () => {
    const alice = await signUp('Alice Reconnect');
    const bob = await signUp('Bob Reconnect');
    const started = await postGraphQL<{ startConversation: { id: string } }>(
      federation.gatewayUrl,
      { query: 'mutation($m: [ID!]!) { startConversation(memberIds: $m, title: "reconnect") { id } }', variables: { m: [bob.id] } },
      { authorization: `Bearer ${alice.token}` },
    );
    expect(started.errors).toBeUndefined();
    const conversationId = started.data!.startConversation.id;
    const bodies: string[] = [];
    const sendAs = async (token: string, body: string) => {
      bodies.push(body);
      expect(await send(token, conversationId, body)).toBe(bodies.length);
    };

    // Before the cut: Bob receives 1..3 live.
    const first = subscribe(bob.token, conversationId, 0);
    await sendAs(alice.token, 'one');
    await expect.poll(first.seqs).toEqual([1]);
    await sendAs(bob.token, 'two');
    await sendAs(alice.token, 'three');
    await expect.poll(first.seqs).toEqual([1, 2, 3]);

    // The socket is cut (no close handshake); the client sees the connection end.
    expect(first.sockets).toHaveLength(1);
    first.sockets[0]!.terminate();
    expect(await first.ended).toMatchObject({ code: 1006 });
    const lastSeen = first.received.at(-1)!.data!.messageAdded.seq;

    // Meanwhile, over HTTP: 4..6.
    await sendAs(alice.token, 'four');
    await sendAs(bob.token, 'five');
    await sendAs(alice.token, 'six');

    // Resubscribing with the last seq seen replays 4..6, then goes on live with 7..8.
    const second = subscribe(bob.token, conversationId, lastSeen);
    await expect.poll(second.seqs).toEqual([4, 5, 6]);
    await sendAs(alice.token, 'seven');
    await sendAs(bob.token, 'eight');
    await expect.poll(second.seqs).toEqual([4, 5, 6, 7, 8]);

    const all = [...first.received, ...second.received];
    expect(all.flatMap((result) => result.errors ?? [])).toEqual([]);
    const messages = all.map((result) => result.data!.messageAdded);
    expect(messages.map((message) => message.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(messages.map((message) => message.body)).toEqual(['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight']);
    expect(messages.map((message) => message.sender.displayName)).toEqual(
      ['Alice', 'Bob', 'Alice', 'Alice', 'Bob', 'Alice', 'Alice', 'Bob'].map((name) => `${name} Reconnect`),
    );
    expect(new Set(messages.map((message) => message.id)).size).toBe(8);
  });
});
