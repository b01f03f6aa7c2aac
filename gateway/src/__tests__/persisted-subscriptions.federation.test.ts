import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { demoId } from '@mega/subgraph-kit/demo';
import { DEMO_USERS, postGraphQL, startFederation, subscribeThroughGateway, type Federation, type GatewaySubscription } from '@mega/test-utils';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryFolder } from './support/harness.js';

/**
 * Persisted documents (safelisting) over the gateway's graphql-ws endpoint: a `subscribe` names
 * its document as an HTTP request does, by `documentId` or `extensions.persistedQuery.sha256Hash`
 * (with `query: ''`, as graphql-ws requires a string), and the same rules hold.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const MESSAGE_ADDED = 'subscription MessageAdded($conversationId: ID!) { messageAdded(conversationId: $conversationId) { seq body sender { displayName } } }';
const UNLISTED = 'subscription Unlisted($conversationId: ID!) { messageAdded(conversationId: $conversationId) { seq body } }';
const UNKNOWN_ID = '0'.repeat(64);

type Data = { messageAdded: { seq: number; body: string; sender: { displayName: string } | null } };
/** A `subscribe` payload: `query` ('' for none), and the id as `documentId` or in `extensions`. */
type Payload = { query: string; documentId?: string; extensions?: Record<string, unknown> };

const byHash = (sha256Hash: string, query = ''): Payload => ({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } });

describe('persisted documents over the WebSocket (graphql-ws subscribe)', () => {
  let federation: Federation;
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let production: string;
  let development: string;
  let tokens: { alice: string; bob: string };
  const clients: Client[] = [];
  const conversation = demoId('conversation:alice-bob');

  beforeAll(async () => {
    folder = await temporaryFolder();
    await writeFile(folder.file('persisted-documents.json'), JSON.stringify({ [`sha256:${sha256(MESSAGE_ADDED)}`]: MESSAGE_ADDED }));
    federation = await startFederation({ seed: true });
    [production, development] = await Promise.all([
      federation.startGateway({ persistedDocuments: { dir: folder.path, requirePersistedDocuments: true, watch: false } }),
      federation.startGateway({ persistedDocuments: { dir: folder.path, requirePersistedDocuments: false, watch: false } }),
    ]);
    const logIn = async (user: keyof typeof DEMO_USERS) => {
      const result = await postGraphQL<{ logIn: { accessToken: string } }>(federation.gatewayUrl, {
        query: 'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { accessToken } }',
        variables: { e: DEMO_USERS[user].email, p: DEMO_USERS[user].password },
      });
      return result.data!.logIn.accessToken;
    };
    tokens = { alice: await logIn('alice'), bob: await logIn('bob') };
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await federation?.stop();
    await folder?.remove();
  });

  /** Bob subscribes to his conversation with Alice on `gatewayUrl`. */
  function subscribe(gatewayUrl: string, payload: Payload): GatewaySubscription<Data> {
    // subscribeThroughGateway hands the request to graphql-ws as it is: `documentId` and `extensions` go along.
    const request = { ...payload, variables: { conversationId: conversation } };
    const subscription = subscribeThroughGateway<Data>(gatewayUrl, tokens.bob, request);
    clients.push(subscription.client);
    return subscription;
  }

  async function send(body: string): Promise<void> {
    const sent = await postGraphQL(
      federation.gatewayUrl,
      { query: 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { seq } }', variables: { input: { conversationId: conversation, body } } },
      { authorization: `Bearer ${tokens.alice}` },
    );
    expect(sent.errors).toBeUndefined();
  }

  /**
   * Alice (through the first gateway, raw) sends messages until every subscription got one (it is
   * live then: earlier ones are not replayed), then one more that each must receive.
   * @returns that last message's body
   */
  async function expectLive(...subscriptions: GatewaySubscription<Data>[]): Promise<string> {
    await expect
      .poll(async () => {
        await send('warming up');
        return subscriptions.every((subscription) => subscription.results.length > 0);
      }, { timeout: 10_000 })
      .toBe(true);
    const body = `hello ${crypto.randomUUID()}`;
    await send(body);
    await expect.poll(() => subscriptions.every((subscription) => subscription.results.at(-1)?.data?.messageAdded.body === body)).toBe(true);
    return body;
  }

  /** The codes of the `error` message that refused `subscription`, or 'still running' when it was not refused. */
  async function refusal(subscription: GatewaySubscription<Data>): Promise<unknown> {
    const outcome = await Promise.race([subscription.ended, delay(5_000, 'still running')]);
    return Array.isArray(outcome) ? outcome.map((error: { extensions?: { code?: unknown } }) => error.extensions?.code) : outcome;
  }

  describe('where only persisted documents run', () => {
    it('runs a subscription named by extensions.persistedQuery.sha256Hash or by documentId, alone or with its very text', async () => {
      const subscriptions = [
        subscribe(production, byHash(sha256(MESSAGE_ADDED))),
        subscribe(production, { query: '', documentId: `sha256:${sha256(MESSAGE_ADDED)}` }),
        subscribe(production, byHash(`sha256:${sha256(MESSAGE_ADDED)}`, MESSAGE_ADDED)),
      ];
      const body = await expectLive(...subscriptions);
      for (const { results } of subscriptions) {
        const last = results.at(-1)!;
        expect(last.errors).toBeUndefined();
        expect(last.data?.messageAdded).toEqual({ seq: expect.any(Number), body, sender: { displayName: DEMO_USERS.alice.displayName } });
      }
    });

    it('refuses a raw subscription, and any raw operation, with PERSISTED_QUERY_REQUIRED', async () => {
      expect(await refusal(subscribe(production, { query: MESSAGE_ADDED }))).toEqual(['PERSISTED_QUERY_REQUIRED']);
      expect(await refusal(subscribe(production, { query: '{ me { id } }' }))).toEqual(['PERSISTED_QUERY_REQUIRED']);
    });

    it('refuses an id the manifests do not hold with PERSISTED_QUERY_NOT_FOUND, with or without a text', async () => {
      expect(await refusal(subscribe(production, byHash(UNKNOWN_ID)))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      expect(await refusal(subscribe(production, { query: '', documentId: `sha256:${UNKNOWN_ID}` }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      expect(await refusal(subscribe(production, byHash(UNKNOWN_ID, UNLISTED)))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    });

    it('refuses another text under a known hash, and documentId together with a query', async () => {
      expect(await refusal(subscribe(production, byHash(sha256(MESSAGE_ADDED), UNLISTED)))).toEqual(['BAD_REQUEST']);
      expect(await refusal(subscribe(production, { query: MESSAGE_ADDED, documentId: sha256(MESSAGE_ADDED) }))).toEqual(['BAD_REQUEST']);
    });
  });

  describe('in development (persisted documents not required)', () => {
    it('runs a raw subscription, also one sent with a hash the manifests do not know, and a known id', async () => {
      const subscriptions = [
        subscribe(development, { query: UNLISTED }),
        subscribe(development, byHash(UNKNOWN_ID, UNLISTED)),
        subscribe(development, byHash(sha256(MESSAGE_ADDED))),
      ];
      await expectLive(...subscriptions);
      for (const { results } of subscriptions) expect(results.at(-1)!.errors).toBeUndefined();
    });

    it('answers an unknown id sent without a text with PERSISTED_QUERY_NOT_FOUND, so that a client can send the text', async () => {
      expect(await refusal(subscribe(development, byHash(UNKNOWN_ID)))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    });
  });
});
