import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase, querySubgraph, TEST_GATEWAY_SECRET, type TestDatabase } from '@mega/test-utils';
import { encodePng } from '../images/png.js';
import { startMedia } from '../server.js';
import { startS3Stub } from './s3-stub.js';

const BUCKET = 'mega-media';
const ACCESS_KEY_ID = 'media-test-key';

describe('the media subgraph with MEDIA_STORAGE=s3', () => {
  let database: TestDatabase;
  let s3: Awaited<ReturnType<typeof startS3Stub>>;
  let media: Awaited<ReturnType<typeof startMedia>>;

  beforeAll(async () => {
    database = await createPgliteDatabase();
    s3 = await startS3Stub(BUCKET, ACCESS_KEY_ID);
    media = await startMedia({
      port: 0,
      gatewaySecret: TEST_GATEWAY_SECRET,
      database: database.options,
      s3: { bucket: BUCKET, endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: 'secret' }, keyPrefix: 'media/' },
    });
  });
  afterAll(async () => {
    await media?.stop();
    await s3?.stop();
    await database?.drop();
  });

  it('stores a finished upload as an object of the bucket and serves it from there', async () => {
    const owner = randomUUID();
    const png = encodePng({ width: 8, height: 4, data: Buffer.alloc(8 * 4 * 4, 120) });
    const created = await querySubgraph<{ createUpload: { uploadUrl: string; asset: { id: string } } }>(
      media.url,
      owner,
      'mutation($input: CreateUploadInput!) { createUpload(input: $input) { uploadUrl asset { id } } }',
      { input: { filename: 'tiny.png', mimeType: 'image/png', byteSize: png.length } },
    );
    expect(created.errors).toBeUndefined();
    const { uploadUrl, asset } = created.data!.createUpload;

    const patch = await fetch(uploadUrl, {
      method: 'PATCH',
      headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: png,
    });
    expect(patch.status).toBe(204);

    const object = s3.objects.get(`media/assets/${asset.id}/original.png`);
    expect(object?.contentType).toBe('image/png');
    expect(object?.body.equals(png)).toBe(true);

    const ready = await querySubgraph<{ mediaAsset: { url: string | null; width: number } }>(media.url, owner, 'query($id: ID!) { mediaAsset(id: $id) { url width } }', { id: asset.id });
    expect(ready.data?.mediaAsset).toMatchObject({ width: 8, url: expect.stringMatching(/^http/) });
    const file = await fetch(ready.data!.mediaAsset.url!);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true);
  });
});
