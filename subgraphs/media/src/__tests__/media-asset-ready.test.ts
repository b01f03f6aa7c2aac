import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSubgraphSocket, type SubgraphSocket } from '@mega/subgraph-kit/subscription-client';
import { DATABASE_DRIVERS, TEST_GATEWAY_SECRET, type TestDatabase } from '@mega/test-utils';
import { startMedia } from '../server.js';

const MEDIA_ASSET_READY = `subscription($id: ID!) { mediaAssetReady(id: $id) { id title url owner { id } } }`;
type Ready = { mediaAssetReady: { id: string; title: string; url: string; owner: { id: string } } };

describe.each(DATABASE_DRIVERS)('mediaAssetReady on $driver', ({ create }) => {
  let database: TestDatabase;
  let media: Awaited<ReturnType<typeof startMedia>>;
  let socket: SubgraphSocket;

  beforeAll(async () => {
    database = await create();
    media = await startMedia({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, database: database.options });
    socket = connectSubgraphSocket(media.url, TEST_GATEWAY_SECRET);
  });
  afterAll(async () => {
    await socket?.close();
    await media?.stop();
    await database?.drop();
  });

  async function newAsset(ownerId: string, status: 'PENDING' | 'READY'): Promise<string> {
    const id = randomUUID();
    await media.services.assets.insertMany([
      { id, ownerId, kind: 'IMAGE', title: `asset ${id}`, mimeType: 'image/png', byteSize: 10, storageKey: `test/${id}`, visibility: 'PUBLIC', status },
    ]);
    return id;
  }

  it('refuses anonymous users, anyone but the owner (even for a PUBLIC asset) and malformed ids', async () => {
    const id = await newAsset(randomUUID(), 'PENDING');
    for (const [user, assetId, code] of [
      [null, id, 'UNAUTHENTICATED'],
      [randomUUID(), id, 'NOT_FOUND'],
      [randomUUID(), 'x', 'NOT_FOUND'],
    ] as const) {
      const subscription = socket.subscribe(user, MEDIA_ASSET_READY, { id: assetId });
      expect((await subscription.next()).errors?.map((error) => error.extensions?.code)).toEqual([code]);
      await subscription.completed;
    }
  });

  it('emits at once and completes for an asset that is already READY', async () => {
    const owner = randomUUID();
    const id = await newAsset(owner, 'READY');
    const subscription = socket.subscribe<Ready>(owner, MEDIA_ASSET_READY, { id });
    expect((await subscription.next()).data?.mediaAssetReady).toMatchObject({ id, owner: { id: owner } });
    await subscription.completed;
    expect(subscription.received).toHaveLength(1);
  });

  it('emits once when a PENDING asset becomes READY, then completes', async () => {
    const owner = randomUUID();
    const id = await newAsset(owner, 'PENDING');
    // The subscription reads the asset twice: to authorize, then (listening) for its state. Once
    // that second read saw PENDING, only the event can bring the news.
    const assets = media.services.assets;
    const byIds = assets.byIds.bind(assets);
    let reads = 0;
    let listening!: () => void;
    const live = new Promise<void>((resolve) => (listening = resolve));
    assets.byIds = async (ids) => {
      const rows = await byIds(ids);
      if (ids.includes(id) && ++reads === 2) listening();
      return rows;
    };
    const subscription = socket.subscribe<Ready>(owner, MEDIA_ASSET_READY, { id });
    try {
      await live;
    } finally {
      assets.byIds = byIds;
    }
    expect(subscription.received).toHaveLength(0);
    expect(await media.services.assets.markReady(id)).toMatchObject({ id, status: 'READY' });
    const ready = await subscription.next();
    expect(ready.errors).toBeUndefined();
    expect(ready.data?.mediaAssetReady).toMatchObject({ id, title: `asset ${id}`, owner: { id: owner } });
    expect(ready.data?.mediaAssetReady.url).toContain(id);
    await subscription.completed;
    expect(subscription.received).toHaveLength(1);
    expect(await media.services.assets.markReady(id)).toBeUndefined();
  });
});
