import { randomUUID } from 'node:crypto';
import { demoId } from '@mega/subgraph-kit/demo';
import { DEMO_USERS, postGraphQL, startFederation, subscribeThroughGateway, type Federation } from '@mega/test-utils';
import type { Client, FormattedExecutionResult } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TYPING = `subscription($id: ID!) { typing(conversationId: $id) { conversationId user { id displayName } at } }`;
type Typing = { typing: { conversationId: string; user: { id: string; displayName: string }; at: string } };

const MEDIA_ASSET_READY = `subscription($id: ID!) { mediaAssetReady(id: $id) { id title url owner { displayName } } }`;
type Ready = { mediaAssetReady: { id: string; title: string; url: string | null; owner: { displayName: string } | null } };

type Handle = 'alice' | 'bob' | 'dave';

/** How long a condition that needs a round trip through the gateway (or a new socket) may take to hold. */
const ROUND_TRIP = { timeout: 5_000 };

describe('typing and mediaAssetReady through the gateway', () => {
  let federation: Federation;
  const clients: Client[] = [];
  const tokens = {} as Record<Handle, string>;

  beforeAll(async () => {
    federation = await startFederation({ seed: true });
    for (const handle of ['alice', 'bob', 'dave'] as const) {
      const user = DEMO_USERS[handle];
      const login = await postGraphQL<{ logIn: { accessToken: string } }>(federation.gatewayUrl, {
        query: 'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { accessToken } }',
        variables: { e: user.email, p: user.password },
      });
      tokens[handle] = login.data!.logIn.accessToken;
    }
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await federation?.stop();
  });

  /** Subscribes over a fresh graphql-ws client; `results` fills as events come, `outcome` becomes the error or 'complete'. */
  function subscribe<T>(handle: Handle, query: string, variables: Record<string, unknown>) {
    const subscription = subscribeThroughGateway<T>(federation.gatewayUrl, tokens[handle], { query, variables });
    clients.push(subscription.client);
    return subscription;
  }

  function errorCodes(results: readonly FormattedExecutionResult<unknown, unknown>[]) {
    return results.flatMap((result) => result.errors ?? []).map((error) => error.extensions?.code);
  }

  describe('typing', () => {
    // alice, bob and carol are members; dave is not.
    const conversation = demoId('conversation:weekend-trip');

    async function setTyping(handle: Handle) {
      return postGraphQL<{ setTyping: boolean }>(
        federation.gatewayUrl,
        { query: 'mutation($id: ID!) { setTyping(conversationId: $id) }', variables: { id: conversation } },
        { authorization: `Bearer ${tokens[handle]}` },
      );
    }

    /**
     * Carol's typing straight on the comms bus, not throttled. Each subscriber gets a conversation's
     * events in the order they were published, so once this one arrives, so has anything before it.
     */
    function publishCarolTyping(at: Date) {
      federation.comms.services.events.publish('typing', conversation, { conversationId: conversation, userId: DEMO_USERS.carol.id, at: at.toISOString() });
    }

    function typists(results: readonly FormattedExecutionResult<Typing, unknown>[]) {
      return results.map((result) => result.data?.typing.user.displayName);
    }

    it("delivers a member's setTyping to the others with the typist's displayName from accounts, never to the typist, at most once per 2 s", async () => {
      const alice = subscribe<Typing>('alice', TYPING, { id: conversation });
      const bob = subscribe<Typing>('bob', TYPING, { id: conversation });
      // Both subscriptions are live once an event published now reaches them.
      await expect
        .poll(() => {
          publishCarolTyping(new Date());
          return alice.results.length > 0 && bob.results.length > 0;
        }, ROUND_TRIP)
        .toBe(true);

      const first = await setTyping('alice');
      expect(first.errors).toBeUndefined();
      expect(first.data?.setTyping).toBe(true);
      await expect.poll(() => typists(bob.results), ROUND_TRIP).toContain(DEMO_USERS.alice.displayName);
      const again = await setTyping('alice');
      expect(again.errors).toBeUndefined();
      expect(again.data?.setTyping).toBe(false);
      expect((await setTyping('bob')).data?.setTyping).toBe(true);

      const barrier = new Date(0); // an instant no other event has
      publishCarolTyping(barrier);
      const sawBarrier = (results: readonly FormattedExecutionResult<Typing, unknown>[]) =>
        results.some((result) => result.data?.typing.user.id === DEMO_USERS.carol.id && new Date(result.data.typing.at).getTime() === barrier.getTime());
      await expect.poll(() => sawBarrier(alice.results) && sawBarrier(bob.results), ROUND_TRIP).toBe(true);

      expect(errorCodes([...alice.results, ...bob.results])).toEqual([]);
      expect(typists(bob.results).filter((name) => name !== DEMO_USERS.carol.displayName)).toEqual([DEMO_USERS.alice.displayName]);
      expect(typists(alice.results).filter((name) => name !== DEMO_USERS.carol.displayName)).toEqual([DEMO_USERS.bob.displayName]);
      const fromAlice = bob.results.find((result) => result.data?.typing.user.id === DEMO_USERS.alice.id)!.data!.typing;
      expect(fromAlice.conversationId).toBe(conversation);
      expect(new Date(fromAlice.at).getTime()).not.toBeNaN();
    });

    it('refuses a non-member with NOT_FOUND on setTyping, and on typing, which then completes', async () => {
      expect(errorCodes([await setTyping('dave')])).toEqual(['NOT_FOUND']);
      const dave = subscribe<Typing>('dave', TYPING, { id: conversation });
      await expect.poll(() => dave.outcome, ROUND_TRIP).toBe('complete');
      expect(dave.results).toHaveLength(1);
      expect(errorCodes(dave.results)).toEqual(['NOT_FOUND']);
    });
  });

  describe('mediaAssetReady', () => {
    async function newAsset(status: 'PENDING' | 'READY'): Promise<string> {
      const id = randomUUID();
      await federation.media.services.assets.insertMany([
        { id, ownerId: DEMO_USERS.alice.id, kind: 'IMAGE', title: `asset ${id}`, mimeType: 'image/png', byteSize: 10, storageKey: `test/${id}`, visibility: 'PUBLIC', status },
      ]);
      return id;
    }

    /**
     * Resolves once the media subgraph has read asset `id` for the second time: the subscription
     * reads it to authorize, then (listening) for its state; after that read saw PENDING, only the
     * event can bring the news.
     */
    function listeningTo(id: string): Promise<void> {
      const assets = federation.media.services.assets;
      const byIds = assets.byIds.bind(assets);
      let reads = 0;
      return new Promise((resolve) => {
        assets.byIds = async (ids) => {
          const rows = await byIds(ids);
          if (ids.includes(id) && ++reads === 2) {
            assets.byIds = byIds;
            resolve();
          }
          return rows;
        };
      });
    }

    it('sends the owner one event with the url and the owner from accounts when a PENDING asset becomes READY, then completes', async () => {
      const id = await newAsset('PENDING');
      const listening = listeningTo(id);
      const alice = subscribe<Ready>('alice', MEDIA_ASSET_READY, { id });
      await listening;
      expect(alice.results).toHaveLength(0);

      expect(await federation.media.services.assets.markReady(id)).toMatchObject({ id, status: 'READY' });
      await expect.poll(() => alice.outcome, ROUND_TRIP).toBe('complete');
      expect(alice.results).toHaveLength(1);
      expect(alice.results[0]!.errors).toBeUndefined();
      expect(alice.results[0]!.data?.mediaAssetReady).toEqual({
        id,
        title: `asset ${id}`,
        url: expect.stringMatching(/^https?:\/\//),
        owner: { displayName: DEMO_USERS.alice.displayName },
      });
    });

    it('sends one event at once for an asset that is already READY, then completes', async () => {
      const id = await newAsset('READY');
      const alice = subscribe<Ready>('alice', MEDIA_ASSET_READY, { id });
      await expect.poll(() => alice.outcome, ROUND_TRIP).toBe('complete');
      expect(alice.results).toHaveLength(1);
      expect(alice.results[0]!.errors).toBeUndefined();
      expect(alice.results[0]!.data?.mediaAssetReady).toMatchObject({ id, url: expect.stringContaining(id), owner: { displayName: DEMO_USERS.alice.displayName } });
    });

    it('refuses anyone but the owner with NOT_FOUND and completes, for a PENDING asset and for a READY PUBLIC one', async () => {
      for (const status of ['PENDING', 'READY'] as const) {
        const bob = subscribe<Ready>('bob', MEDIA_ASSET_READY, { id: await newAsset(status) });
        await expect.poll(() => bob.outcome, ROUND_TRIP).toBe('complete');
        expect(bob.results).toHaveLength(1);
        expect(errorCodes(bob.results)).toEqual(['NOT_FOUND']);
      }
    });
  });
});
