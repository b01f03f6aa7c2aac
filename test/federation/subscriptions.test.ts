import { demoId } from '@mega/subgraph-kit/demo';
import { DEMO_USERS, postGraphQL, startFederation, subscribeThroughGateway, type Federation } from '@mega/test-utils';
import type { Client } from 'graphql-ws';
import { SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Result = { data?: Record<string, unknown> | null; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] };

const MESSAGE_ADDED = `subscription($conversationId: ID!) {
  messageAdded(conversationId: $conversationId) { seq body sender { id displayName } attachments { ... on MediaAsset { id url } } }
}`;

describe('subscriptions through the gateway to the real subgraphs', () => {
  let federation: Federation;
  let wsUrl: string;
  let signingKey: { kid: string; privateKey: CryptoKey };
  const clients: Client[] = [];
  const conversation = demoId('conversation:alice-bob');
  const avatar = demoId('media:avatar:alice');

  beforeAll(async () => {
    federation = await startFederation({ seed: true });
    wsUrl = federation.gatewayUrl.replace(/^http/, 'ws');
    signingKey = await federation.accounts.services.signingKeys.current();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await federation?.stop();
  });

  async function tokenFor(userId: string) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: 'mega-app/accounts', aud: 'mega-app', sub: userId, iat: now, exp: now + 600 })
      .setProtectedHeader({ alg: 'EdDSA', kid: signingKey.kid, typ: 'at+jwt' })
      .sign(signingKey.privateKey);
  }

  async function subscribe(userId: string, variables: Record<string, unknown>) {
    const subscription = subscribeThroughGateway<Result['data']>(wsUrl, await tokenFor(userId), { query: MESSAGE_ADDED, variables });
    clients.push(subscription.client);
    return { results: subscription.results as Result[], ended: subscription.ended };
  }

  async function send(userId: string, body: string) {
    const result = await postGraphQL<{ sendMessage: { seq: number } }>(
      federation.gatewayUrl,
      { query: 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { seq } }', variables: { input: { conversationId: conversation, body, attachmentIds: [avatar] } } },
      { authorization: `Bearer ${await tokenFor(userId)}` },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.sendMessage.seq;
  }

  it('delivers a sent message with the sender from accounts and the attachment from media, only to members', async () => {
    const bob = await subscribe(DEMO_USERS.bob.id, { conversationId: conversation });
    const dave = await subscribe(DEMO_USERS.dave.id, { conversationId: conversation });
    expect(await dave.ended).toBe('complete');
    expect(dave.results.flatMap((result) => result.errors ?? []).map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);

    // The subscription is live once a message sent now reaches it; earlier sends are not replayed (no afterSeq).
    await expect.poll(async () => {
      await send(DEMO_USERS.alice.id, 'warming up');
      return bob.results.length;
    }).toBeGreaterThan(0);
    const seq = await send(DEMO_USERS.alice.id, 'hello bob');
    await expect.poll(() => bob.results.some((result) => (result.data?.messageAdded as { seq: number } | undefined)?.seq === seq)).toBe(true);
    const last = bob.results.at(-1)!;
    expect(last.errors).toBeUndefined();
    expect(last.data?.messageAdded).toEqual({
      seq,
      body: 'hello bob',
      sender: { id: DEMO_USERS.alice.id, displayName: DEMO_USERS.alice.displayName },
      attachments: [{ id: avatar, url: expect.stringMatching(/^https?:\/\//) }],
    });
  });
});
