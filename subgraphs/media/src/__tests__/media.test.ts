import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRODUCTS, DEMO_USERS, demoId } from '@mega/subgraph-kit';
import { DATABASE_DRIVERS, querySubgraph, TEST_GATEWAY_SECRET, type GraphQLResponse, type TestDatabase } from '@mega/test-utils';
import { FileLinks } from '../files/file-links.js';
import { startMedia } from '../server.js';

const alice = DEMO_USERS.alice.id;
const bob = DEMO_USERS.bob.id;
const shop = DEMO_USERS.shop.id;
const alicePrivate = demoId('media:private:alice-1');
const aliceAvatar = demoId('media:avatar:alice');
const headphonesImage = demoId(`media:product-image:${DEMO_PRODUCTS[0].slug}`);

interface AssetView {
  id: string;
  title: string;
  visibility: string;
  byteSize: number;
  width: number;
  height: number;
  url: string | null;
  thumbnailUrl: string | null;
  owner: { id: string };
}
interface MediaPage {
  edges: { cursor: string; node: { id: string; visibility: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const ASSET_FIELDS = 'id title visibility byteSize width height url thumbnailUrl owner { id }';

describe.each(DATABASE_DRIVERS)('media subgraph on $driver', ({ create }) => {
  let database: TestDatabase;
  let filesDir: string;
  let media: Awaited<ReturnType<typeof startMedia>>;

  beforeAll(async () => {
    database = await create();
    filesDir = await mkdtemp(path.join(tmpdir(), 'mega-media-'));
    media = await startMedia({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, database: database.options, seedDemoData: true, filesDir });
  });
  afterAll(async () => {
    await media?.stop();
    await database?.drop();
    if (filesDir) await rm(filesDir, { recursive: true, force: true });
  });

  const asset = async (viewer: string | null, id: string) => {
    const result = await querySubgraph<{ mediaAsset: AssetView | null }>(media.url, viewer, `query($id: ID!) { mediaAsset(id: $id) { ${ASSET_FIELDS} } }`, { id });
    expect(result.errors).toBeUndefined();
    return result.data!.mediaAsset;
  };
  const entities = (viewer: string | null, representations: object[], selection: string) =>
    querySubgraph<{ _entities: unknown[] }>(media.url, viewer, `query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`, { r: representations });
  const userMedia = async (viewer: string | null, userId: string) => {
    const result = await entities(viewer, [{ __typename: 'User', id: userId }], '... on User { media(first: 100) { edges { node { id visibility } } } }');
    expect(result.errors).toBeUndefined();
    return (result.data!._entities[0] as { media: MediaPage }).media.edges.map((edge) => edge.node);
  };
  const fileUrl = (id: string, suffix = '') => `${new URL(media.url).origin}/files/${id}${suffix}`;

  describe('visibility', () => {
    it('shows a PRIVATE asset by id to its owner only, with signed links', async () => {
      const own = await asset(alice, alicePrivate);
      expect(own).toMatchObject({ id: alicePrivate, visibility: 'PRIVATE', owner: { id: alice } });
      expect(own!.url).toMatch(new RegExp(`/files/${alicePrivate}\\?exp=\\d+&sig=[\\w-]+$`));
      expect(own!.thumbnailUrl).toMatch(new RegExp(`/files/${alicePrivate}/thumbnail\\?exp=\\d+&sig=[\\w-]+$`));
      expect(await asset(bob, alicePrivate)).toBeNull();
      expect(await asset(null, alicePrivate)).toBeNull();
    });

    it('shows a PUBLIC asset to anyone, with an unsigned link', async () => {
      const seen = await asset(null, headphonesImage);
      expect(seen).toMatchObject({ title: DEMO_PRODUCTS[0].title, visibility: 'PUBLIC', owner: { id: shop } });
      expect(seen!.url).toBe(fileUrl(headphonesImage));
      expect(seen!.thumbnailUrl).toBe(fileUrl(headphonesImage, '/thumbnail'));
    });

    it('answers null, not an error, for unknown and malformed ids', async () => {
      expect(await asset(alice, crypto.randomUUID())).toBeNull();
      expect(await asset(alice, 'not-a-uuid')).toBeNull();
    });

    it('resolves a PRIVATE asset reference for its owner only', async () => {
      const selection = '... on MediaAsset { id url }';
      const representations = [{ __typename: 'MediaAsset', id: alicePrivate }, { __typename: 'MediaAsset', id: aliceAvatar }];
      const asOwner = await entities(alice, representations, selection);
      expect(asOwner.data?._entities.map((entity) => (entity as { id: string } | null)?.id)).toEqual([alicePrivate, aliceAvatar]);
      const asOther = await entities(bob, representations, selection);
      expect(asOther.errors).toBeUndefined();
      expect(asOther.data?._entities[0]).toBeNull();
      expect(asOther.data?._entities[1]).toMatchObject({ id: aliceAvatar });
    });

    it('lists all of a user\'s media to themself and only PUBLIC ones to others in User.media', async () => {
      const own = await userMedia(alice, alice);
      expect(own.map((node) => node.id).sort()).toEqual([alicePrivate, demoId('media:private:alice-2'), aliceAvatar].sort());
      expect(await userMedia(bob, alice)).toEqual([{ id: aliceAvatar, visibility: 'PUBLIC' }]);
      expect(await userMedia(null, alice)).toEqual([{ id: aliceAvatar, visibility: 'PUBLIC' }]);
    });

    it('keeps UNLISTED assets out of User.media for others but readable by id', async () => {
      const photo = demoId('media:private:alice-2');
      const update = await querySubgraph(media.url, alice, `mutation($id: ID!) { updateMediaAsset(id: $id, input: { visibility: UNLISTED }) { id } }`, { id: photo });
      expect(update.errors).toBeUndefined();
      expect((await userMedia(bob, alice)).map((node) => node.id)).toEqual([aliceAvatar]);
      const seen = await asset(bob, photo);
      expect(seen).toMatchObject({ id: photo, visibility: 'UNLISTED' });
      expect(seen!.url).toBe(fileUrl(photo));
      await querySubgraph(media.url, alice, `mutation($id: ID!) { updateMediaAsset(id: $id, input: { visibility: PRIVATE }) { id } }`, { id: photo });
      expect(await asset(bob, photo)).toBeNull();
    });

    it('requires a signed-in user for myMedia', async () => {
      const result = await querySubgraph(media.url, null, '{ myMedia { edges { node { id } } } }');
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('pagination', () => {
    it('pages through myMedia with cursors, newest first, without repeats', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page += 1) {
        const result: GraphQLResponse<{ myMedia: MediaPage }> = await querySubgraph<{ myMedia: MediaPage }>(
          media.url,
          shop,
          'query($after: String) { myMedia(first: 3, after: $after) { edges { cursor node { id visibility } } pageInfo { hasNextPage endCursor } } }',
          { after },
        );
        expect(result.errors).toBeUndefined();
        const { edges, pageInfo } = result.data!.myMedia;
        expect(edges.length).toBeLessThanOrEqual(3);
        seen.push(...edges.map((edge) => edge.node.id));
        if (!pageInfo.hasNextPage) break;
        after = pageInfo.endCursor;
      }
      const expected = [...DEMO_PRODUCTS.map((p) => demoId(`media:product-image:${p.slug}`)), demoId('media:avatar:megashop')];
      expect(seen).toHaveLength(expected.length);
      expect([...seen].sort()).toEqual([...expected].sort());
    });

    it('refuses first above 100 and malformed cursors with BAD_USER_INPUT', async () => {
      const tooMany = await querySubgraph(media.url, alice, '{ myMedia(first: 101) { edges { cursor } } }');
      expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
      const viaUser = await entities(bob, [{ __typename: 'User', id: alice }], '... on User { media(first: 101) { edges { cursor } } }');
      expect(viaUser.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const badCursor = await querySubgraph(media.url, alice, '{ myMedia(after: "WzEsIm5vdC1hLXV1aWQiXQ") { edges { cursor } } }');
      expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    });
  });

  describe('writes', () => {
    const update = 'mutation($id: ID!, $input: UpdateMediaAssetInput!) { updateMediaAsset(id: $id, input: $input) { id title visibility } }';
    const remove = 'mutation($id: ID!) { deleteMediaAsset(id: $id) }';

    it('lets the owner rename an asset and change its visibility', async () => {
      const id = demoId('media:avatar:bob');
      const result = await querySubgraph<{ updateMediaAsset: { title: string; visibility: string } }>(media.url, bob, update, {
        id,
        input: { title: '  Bob, smiling  ', visibility: 'UNLISTED' },
      });
      expect(result.data?.updateMediaAsset).toMatchObject({ title: 'Bob, smiling', visibility: 'UNLISTED' });
      expect(await asset(null, id)).toMatchObject({ title: 'Bob, smiling', visibility: 'UNLISTED' });
    });

    it('refuses a rename made on a stale version with CONFLICT, the current version and title; a blind one still wins', async () => {
      const id = demoId('media:avatar:bob');
      const versioned = 'mutation($id: ID!, $input: UpdateMediaAssetInput!, $v: Int) { updateMediaAsset(id: $id, input: $input, expectedVersion: $v) { title version } }';
      const read = await querySubgraph<{ mediaAsset: { version: number; title: string } }>(media.url, bob, 'query($id: ID!) { mediaAsset(id: $id) { version title } }', { id });
      const start = read.data!.mediaAsset.version;
      const first = await querySubgraph<{ updateMediaAsset: { title: string; version: number } }>(media.url, bob, versioned, { id, input: { title: 'From the phone' }, v: start });
      expect(first.data?.updateMediaAsset).toEqual({ title: 'From the phone', version: start + 1 });
      const stale = await querySubgraph(media.url, bob, versioned, { id, input: { title: 'From the laptop' }, v: start });
      expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', argument: 'expectedVersion', currentVersion: start + 1, current: { title: 'From the phone' } });
      expect(await asset(bob, id)).toMatchObject({ title: 'From the phone' });
      // Someone else's asset stays NOT_FOUND (not CONFLICT), whatever the version.
      const other = await querySubgraph(media.url, alice, versioned, { id, input: { title: 'x' }, v: start });
      expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const blind = await querySubgraph<{ updateMediaAsset: { title: string; version: number } }>(media.url, bob, versioned, { id, input: { title: 'Bob, smiling' } });
      expect(blind.data?.updateMediaAsset).toEqual({ title: 'Bob, smiling', version: start + 2 });
    });

    it('answers NOT_FOUND to anyone but the owner, for updates and deletes alike', async () => {
      const asOther = await querySubgraph(media.url, bob, update, { id: alicePrivate, input: { title: 'mine now' } });
      expect(asOther.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const deleteAsOther = await querySubgraph(media.url, bob, remove, { id: aliceAvatar });
      expect(deleteAsOther.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const malformed = await querySubgraph(media.url, alice, remove, { id: 'nope' });
      expect(malformed.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const anonymous = await querySubgraph(media.url, null, remove, { id: aliceAvatar });
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(await asset(alice, alicePrivate)).toMatchObject({ title: 'Private photo 1' });
      expect(await asset(alice, aliceAvatar)).not.toBeNull();
    });

    it('refuses titles that are empty or longer than 200 characters', async () => {
      for (const title of ['   ', 'x'.repeat(201)]) {
        const result = await querySubgraph(media.url, alice, update, { id: aliceAvatar, input: { title } });
        expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'title' });
      }
    });

    it('deletes an asset together with its files', async () => {
      const id = demoId('media:avatar:dave');
      const files = [path.join(filesDir, 'assets', id, 'original.png'), path.join(filesDir, 'assets', id, 'thumbnail.png')];
      for (const file of files) expect((await stat(file)).size).toBeGreaterThan(0);
      const result = await querySubgraph<{ deleteMediaAsset: string }>(media.url, DEMO_USERS.dave.id, remove, { id });
      expect(result.data?.deleteMediaAsset).toBe(id);
      for (const file of files) await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
      expect(await asset(DEMO_USERS.dave.id, id)).toBeNull();
      expect((await fetch(fileUrl(id))).status).toBe(404);
    });
  });

  describe('file serving', () => {
    it('serves a PUBLIC image with its type, size, validators and safety headers', async () => {
      const seen = await asset(null, headphonesImage);
      const response = await fetch(seen!.url!);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(response.headers.get('content-length')).toBe(String(seen!.byteSize));
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
      const etag = response.headers.get('etag');
      expect(etag).toMatch(/^"[\w-]+"$/);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.length).toBe(seen!.byteSize);
      const again = await fetch(seen!.url!, { headers: { 'if-none-match': etag! } });
      expect(again.status).toBe(304);
    });

    it('seeds valid PNGs of the recorded size, with a 32 pixel thumbnail', async () => {
      for (const id of [headphonesImage, aliceAvatar]) {
        const seen = await asset(alice, id);
        const original = PNG.sync.read(Buffer.from(await (await fetch(seen!.url!)).arrayBuffer()));
        expect([original.width, original.height]).toEqual([seen!.width, seen!.height]);
        expect(seen!.width).toBe(96);
        const thumbnail = PNG.sync.read(Buffer.from(await (await fetch(seen!.thumbnailUrl!)).arrayBuffer()));
        expect([thumbnail.width, thumbnail.height]).toEqual([32, 32]);
      }
    });

    it('serves a PRIVATE file through its signed link only', async () => {
      const own = await asset(alice, alicePrivate);
      const signed = await fetch(own!.url!);
      expect(signed.status).toBe(200);
      expect(signed.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
      expect(Buffer.from(await signed.arrayBuffer()).length).toBe(own!.byteSize);
      expect((await fetch(own!.thumbnailUrl!)).status).toBe(200);

      const unsigned = await fetch(fileUrl(alicePrivate));
      expect(unsigned.status).toBe(403);
      expect(unsigned.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await unsigned.json()).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN', reason: 'SIGNATURE_REQUIRED' } }] });
    });

    it('refuses tampered, borrowed and expired signatures with 403', async () => {
      const own = await asset(alice, alicePrivate);
      const url = new URL(own!.url!);
      const sig = url.searchParams.get('sig')!;
      url.searchParams.set('sig', `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`);
      const tampered = await fetch(url);
      expect(tampered.status).toBe(403);
      expect(await tampered.json()).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN', reason: 'SIGNATURE_INVALID' } }] });

      const later = new URL(own!.url!);
      later.searchParams.set('exp', String(Number(later.searchParams.get('exp')) + 3600));
      expect((await fetch(later)).status).toBe(403);

      const otherVariant = new URL(own!.url!);
      otherVariant.pathname += '/thumbnail';
      expect((await fetch(otherVariant)).status).toBe(403);

      const otherAsset = new URL(own!.url!);
      otherAsset.pathname = `/files/${demoId('media:private:alice-2')}`;
      expect((await fetch(otherAsset)).status).toBe(403);

      const links = new FileLinks(TEST_GATEWAY_SECRET, new URL(media.url).origin);
      const expired = await fetch(links.signedUrlUntil(alicePrivate, 'original', Math.floor(Date.now() / 1000) - 1));
      expect(expired.status).toBe(403);
      expect(await expired.json()).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN', reason: 'SIGNATURE_EXPIRED' } }] });
      expect((await fetch(links.signedUrlUntil(alicePrivate, 'original', Math.floor(Date.now() / 1000) + 60))).status).toBe(200);
    });

    it('answers 404 for unknown and malformed ids and unknown paths', async () => {
      for (const url of [fileUrl(crypto.randomUUID()), fileUrl('not-a-uuid'), fileUrl(headphonesImage, '/poster')]) {
        const response = await fetch(url);
        expect(response.status).toBe(404);
        expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
      }
    });
  });

  describe('albums', () => {
    const createAlbum = 'mutation($title: String!, $cmid: String) { createAlbum(title: $title, clientMutationId: $cmid) { id title } }';
    const addToAlbum = 'mutation($album: ID!, $asset: ID!) { addToAlbum(albumId: $album, assetId: $asset) { id assets { edges { node { id } } } } }';

    it('creates an album once per clientMutationId and lists it for its owner only', async () => {
      const first = await querySubgraph<{ createAlbum: { id: string; title: string } }>(media.url, alice, createAlbum, { title: 'Holiday', cmid: 'album-1' });
      const retry = await querySubgraph<{ createAlbum: { id: string } }>(media.url, alice, createAlbum, { title: 'Holiday', cmid: 'album-1' });
      expect(first.data?.createAlbum.title).toBe('Holiday');
      expect(retry.data?.createAlbum.id).toBe(first.data?.createAlbum.id);
      const list = await querySubgraph<{ albums: { edges: { node: { id: string } }[] } }>(media.url, alice, '{ albums { edges { node { id } } } }');
      expect(list.data?.albums.edges.map((edge) => edge.node.id)).toEqual([first.data?.createAlbum.id]);
      const bobs = await querySubgraph<{ albums: { edges: unknown[] } }>(media.url, bob, '{ albums { edges { node { id } } } }');
      expect(bobs.data?.albums.edges).toEqual([]);
    });

    it('adds visible assets in order, once, and refuses other people\'s albums and private assets', async () => {
      const created = await querySubgraph<{ createAlbum: { id: string } }>(media.url, bob, createAlbum, { title: 'Favourites' });
      const album = created.data!.createAlbum.id;
      await querySubgraph(media.url, bob, addToAlbum, { album, asset: headphonesImage });
      await querySubgraph(media.url, bob, addToAlbum, { album, asset: aliceAvatar });
      const again = await querySubgraph<{ addToAlbum: { assets: MediaPage } }>(media.url, bob, addToAlbum, { album, asset: headphonesImage });
      expect(again.data?.addToAlbum.assets.edges.map((edge) => edge.node.id)).toEqual([headphonesImage, aliceAvatar]);
      const privateAsset = await querySubgraph(media.url, bob, addToAlbum, { album, asset: alicePrivate });
      expect(privateAsset.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const othersAlbum = await querySubgraph(media.url, alice, addToAlbum, { album, asset: aliceAvatar });
      expect(othersAlbum.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('batching', () => {
    it('resolves 100 MediaAsset references with one SQL query', async () => {
      const ids = [headphonesImage, alicePrivate, ...Array.from({ length: 98 }, () => crypto.randomUUID())];
      const before = media.database.queries.count;
      const result = await entities(bob, ids.map((id) => ({ __typename: 'MediaAsset', id })), '... on MediaAsset { id url thumbnailUrl owner { id } }');
      expect(result.errors).toBeUndefined();
      expect(result.data?._entities).toHaveLength(100);
      expect(result.data?._entities[0]).toMatchObject({ id: headphonesImage });
      expect(result.data?._entities[1]).toBeNull();
      expect(media.database.queries.count - before).toBe(1);
    });

    it('loads User.media for many users with one SQL query', async () => {
      const users = [...Object.values(DEMO_USERS).map((user) => user.id), ...Array.from({ length: 45 }, () => crypto.randomUUID())];
      const before = media.database.queries.count;
      const result = await entities(alice, users.map((id) => ({ __typename: 'User', id })), '... on User { id media(first: 2) { edges { node { id } } pageInfo { hasNextPage } } }');
      expect(result.errors).toBeUndefined();
      const pages = result.data!._entities as { id: string; media: MediaPage }[];
      expect(pages.find((page) => page.id === shop)?.media.edges).toHaveLength(2);
      expect(pages.find((page) => page.id === shop)?.media.pageInfo.hasNextPage).toBe(true);
      expect(media.database.queries.count - before).toBe(1);
    });
  });
});
