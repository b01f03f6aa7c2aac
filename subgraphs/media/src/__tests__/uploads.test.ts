import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Upload, type DetailedError, type UploadOptions } from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_DRIVERS, eventually, querySubgraph, TEST_GATEWAY_SECRET, type TestDatabase } from '@mega/test-utils';
import { encodePng } from '../images/png.js';
import { startMedia } from '../server.js';
import { sweepUploads } from '../upload/upload-sweeper.js';

/** The web shell's origin in these tests; any other origin is refused. */
const APP_ORIGIN = 'https://app.example';
const LIMITS = { maxBytes: 60_000, quotaBytes: 100_000, tokenTtlSeconds: 3600 };

const CREATE_UPLOAD = `mutation($input: CreateUploadInput!) {
  createUpload(input: $input) { uploadUrl expiresAt asset { id kind title mimeType byteSize width height url visibility owner { id } } }
}`;
interface UploadPayload {
  uploadUrl: string;
  expiresAt: string;
  asset: { id: string; kind: string; title: string; mimeType: string; byteSize: number; width: number | null; height: number | null; url: string | null; visibility: string; owner: { id: string } };
}
interface UploadInput {
  filename?: string;
  mimeType?: string;
  byteSize?: number;
  title?: string | null;
  clientMutationId?: string | null;
}

/** A PNG of noise (it does not compress, so it is large enough for several chunks). */
function noisePng(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  let seed = width * 7919 + height;
  for (let i = 0; i < data.length; i += 1) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    data[i] = i % 4 === 3 ? 255 : seed >> 16;
  }
  return encodePng({ width, height, data });
}

/** The smallest GIF header that names its size: what a GIF declared as PNG starts with. */
function gifBytes(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  Buffer.from('GIF89a').copy(bytes);
  bytes.writeUInt16LE(3, 6);
  bytes.writeUInt16LE(2, 8);
  return bytes;
}

interface TusResult {
  /** The Upload-Offset of every PATCH sent, in order. */
  patchOffsets: number[];
  error?: DetailedError;
}

/** Uploads `bytes` to `uploadUrl` with tus-js-client (as a browser would, minus CORS); never retries on its own. */
function tusUpload(uploadUrl: string, bytes: Buffer, options: UploadOptions = {}): Promise<TusResult> {
  const patchOffsets: number[] = [];
  return new Promise((resolve) => {
    const upload = new Upload(bytes, {
      uploadUrl,
      retryDelays: [],
      onBeforeRequest: (req) => {
        if (req.getMethod() === 'PATCH') patchOffsets.push(Number(req.getHeader('Upload-Offset')));
      },
      onSuccess: () => resolve({ patchOffsets }),
      onError: (error) => resolve({ patchOffsets, error: error as DetailedError }),
      ...options,
    });
    upload.start();
  });
}

/** One tus request with fetch. */
function tusRequest(url: string, method: string, headers: Record<string, string> = {}, body?: Buffer) {
  return fetch(url, { method, headers: { 'tus-resumable': '1.0.0', ...headers }, ...(body ? { body } : {}) });
}

async function errorOf(response: Response) {
  const text = await response.text();
  expect(text).not.toMatch(/\n\s+at /); // never a stack trace
  return (JSON.parse(text) as { errors: { message: string; extensions: Record<string, unknown> }[] }).errors[0]!;
}

describe.each(DATABASE_DRIVERS)('uploads on $driver', ({ create }) => {
  let database: TestDatabase;
  let filesDir: string;
  let media: Awaited<ReturnType<typeof startMedia>>;

  beforeAll(async () => {
    database = await create();
    filesDir = await mkdtemp(path.join(tmpdir(), 'mega-media-uploads-test-'));
    media = await startMedia({ port: 0, gatewaySecret: TEST_GATEWAY_SECRET, database: database.options, filesDir, uploadLimits: LIMITS, corsOrigins: [APP_ORIGIN] });
  });
  afterAll(async () => {
    await media?.stop();
    await database?.drop();
    if (filesDir) await rm(filesDir, { recursive: true, force: true });
  });

  const createUpload = (owner: string | null, input: UploadInput) =>
    querySubgraph<{ createUpload: UploadPayload }>(media.url, owner, CREATE_UPLOAD, {
      input: { filename: 'photo.png', mimeType: 'image/png', byteSize: 1000, ...input },
    });
  const newUpload = async (owner: string, input: UploadInput) => {
    const result = await createUpload(owner, input);
    expect(result.errors).toBeUndefined();
    return result.data!.createUpload;
  };
  const assetOf = async (owner: string, id: string) => {
    const result = await querySubgraph<{ mediaAsset: UploadPayload['asset'] | null }>(
      media.url,
      owner,
      'query($id: ID!) { mediaAsset(id: $id) { id kind title mimeType byteSize width height url visibility owner { id } } }',
      { id },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.mediaAsset;
  };
  const codeOf = (result: Awaited<ReturnType<typeof createUpload>>) => result.errors?.map((error) => error.extensions);
  const offsetOf = async (uploadUrl: string) => {
    const response = await tusRequest(uploadUrl, 'HEAD');
    expect(response.status).toBe(200);
    return Number(response.headers.get('upload-offset'));
  };

  describe('createUpload', () => {
    it('creates a PENDING, PRIVATE asset of the caller with a tus upload URL that starts at offset 0', async () => {
      const owner = randomUUID();
      const payload = await newUpload(owner, { filename: 'holiday.png', byteSize: 1234 });
      expect(payload.asset).toMatchObject({ kind: 'IMAGE', title: 'holiday.png', mimeType: 'image/png', byteSize: 1234, url: null, visibility: 'PRIVATE', owner: { id: owner } });
      expect(payload.uploadUrl).toMatch(new RegExp(`^${new URL(media.url).origin}/uploads/${payload.asset.id}\\?token=\\d+\\.[\\w-]{43}$`));
      expect(Date.parse(payload.expiresAt) - Date.now()).toBeGreaterThan((LIMITS.tokenTtlSeconds - 60) * 1000);
      const head = await tusRequest(payload.uploadUrl, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.headers.get('upload-offset')).toBe('0');
      expect(head.headers.get('upload-length')).toBe('1234');
      expect(head.headers.get('tus-resumable')).toBe('1.0.0');
    });

    it('refuses anonymous callers', async () => {
      expect(codeOf(await createUpload(null, {}))).toEqual([{ code: 'UNAUTHENTICATED' }]);
    });

    it('accepts only the allowed media types, under their common other names too', async () => {
      const owner = randomUUID();
      for (const mimeType of ['text/html', 'image/svg+xml', 'application/octet-stream', 'image/png; x=<script>', '']) {
        expect(codeOf(await createUpload(owner, { mimeType }))).toEqual([{ code: 'BAD_USER_INPUT', argument: 'mimeType' }]);
      }
      const jpeg = await newUpload(owner, { filename: 'a.jpg', mimeType: 'Image/JPG' });
      expect(jpeg.asset).toMatchObject({ mimeType: 'image/jpeg', kind: 'IMAGE' });
      expect((await newUpload(owner, { mimeType: 'audio/x-wav' })).asset).toMatchObject({ mimeType: 'audio/wav', kind: 'AUDIO' });
      expect((await newUpload(owner, { mimeType: 'video/webm' })).asset).toMatchObject({ mimeType: 'video/webm', kind: 'VIDEO' });
    });

    it('refuses bad names, titles and sizes, and sizes over the largest upload with PAYLOAD_TOO_LARGE', async () => {
      const owner = randomUUID();
      expect(codeOf(await createUpload(owner, { filename: '  ' }))).toEqual([{ code: 'BAD_USER_INPUT', argument: 'filename' }]);
      expect(codeOf(await createUpload(owner, { filename: 'a\u0000.png' }))).toEqual([{ code: 'BAD_USER_INPUT', argument: 'filename' }]);
      expect(codeOf(await createUpload(owner, { title: '' }))).toEqual([{ code: 'BAD_USER_INPUT', argument: 'title' }]);
      expect(codeOf(await createUpload(owner, { byteSize: 0 }))).toEqual([{ code: 'BAD_USER_INPUT', argument: 'byteSize' }]);
      expect(codeOf(await createUpload(owner, { byteSize: LIMITS.maxBytes + 1 }))).toEqual([
        { code: 'PAYLOAD_TOO_LARGE', argument: 'byteSize', maxBytes: LIMITS.maxBytes },
      ]);
      expect(await media.services.assets.bytesUsedBy(owner)).toBe(0);
      expect((await newUpload(owner, { filename: 'x'.repeat(255), title: '  Named  ' })).asset.title).toBe('Named');
      expect((await newUpload(owner, { filename: 'y'.repeat(255) })).asset.title).toBe('y'.repeat(200));
    });

    it('returns the same payload for a retry with the same clientMutationId, and creates one asset', async () => {
      const owner = randomUUID();
      const first = await newUpload(owner, { byteSize: 700, clientMutationId: 'upload-1' });
      const retry = await newUpload(owner, { byteSize: 700, clientMutationId: 'upload-1' });
      expect(retry).toEqual(first);
      expect(await media.services.assets.bytesUsedBy(owner)).toBe(700);
      const other = await newUpload(owner, { byteSize: 700, clientMutationId: 'upload-2' });
      expect(other.asset.id).not.toBe(first.asset.id);
      expect(await media.services.assets.bytesUsedBy(owner)).toBe(1400);
      // Another user's clientMutationId is theirs alone.
      expect((await newUpload(randomUUID(), { byteSize: 700, clientMutationId: 'upload-1' })).asset.id).not.toBe(first.asset.id);
    });

    it('refuses an upload over the quota, counting PENDING assets, and has room again once one is deleted', async () => {
      const owner = randomUUID();
      const first = await newUpload(owner, { byteSize: 60_000 });
      await newUpload(owner, { byteSize: 40_000 });
      expect(codeOf(await createUpload(owner, { byteSize: 1, clientMutationId: 'over' }))).toEqual([
        { code: 'QUOTA_EXCEEDED', quotaBytes: LIMITS.quotaBytes, usedBytes: 100_000 },
      ]);
      const deleted = await querySubgraph(media.url, owner, 'mutation($id: ID!) { deleteMediaAsset(id: $id) }', { id: first.asset.id });
      expect(deleted.errors).toBeUndefined();
      // The refused call stored nothing: its clientMutationId works now.
      expect((await newUpload(owner, { byteSize: 1, clientMutationId: 'over' })).asset.byteSize).toBe(1);
    });

    it('lets concurrent uploads of one user together stay within the quota', async () => {
      const owner = randomUUID();
      const results = await Promise.all(Array.from({ length: 6 }, () => createUpload(owner, { byteSize: 30_000 })));
      expect(results.filter((result) => result.data?.createUpload).length).toBe(3);
      expect(results.flatMap((result) => result.errors ?? []).map((error) => error.extensions?.code)).toEqual(Array(3).fill('QUOTA_EXCEEDED'));
      expect(await media.services.assets.bytesUsedBy(owner)).toBe(90_000);
    });
  });

  describe('the tus endpoint', () => {
    it('takes a PNG in several chunks, then the asset is READY with its width and height, announced and served', async () => {
      const owner = randomUUID();
      const png = noisePng(60, 40);
      const payload = await newUpload(owner, { byteSize: png.length });
      const ready = await media.services.events.listen('mediaAssetReady', payload.asset.id);
      const chunkSize = Math.ceil(png.length / 3);

      const result = await tusUpload(payload.uploadUrl, png, { chunkSize });

      expect(result.error).toBeUndefined();
      expect(result.patchOffsets).toEqual([0, chunkSize, 2 * chunkSize]);
      expect((await ready.next()).value).toEqual({ id: payload.asset.id, ownerId: owner });
      await ready.return();
      const asset = await assetOf(owner, payload.asset.id);
      expect(asset).toMatchObject({ width: 60, height: 40, byteSize: png.length, mimeType: 'image/png' });
      const file = await fetch(asset!.url!);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true);
      expect(await media.services.uploads.ids()).not.toContain(payload.asset.id);
      // Resuming a finished upload (the last answer was lost) succeeds without sending anything.
      expect(await tusUpload(payload.uploadUrl, png, { chunkSize })).toEqual({ patchOffsets: [] });
    });

    it('resumes an upload whose connection broke mid-request from the offset the server reached', async () => {
      const owner = randomUUID();
      const png = noisePng(64, 64);
      const payload = await newUpload(owner, { byteSize: png.length });
      const half = Math.floor(png.length / 2);

      // A PATCH of the whole file whose connection drops once the server has stored half of it.
      const patch = request(payload.uploadUrl, {
        method: 'PATCH',
        headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', 'content-length': String(png.length) },
      });
      const dropped = new Promise((resolve) => patch.on('error', resolve));
      patch.write(png.subarray(0, half));
      const partialFile = path.join(media.services.uploads.datastore.directory, payload.asset.id);
      await eventually(async () => expect((await stat(partialFile)).size).toBe(half));
      patch.destroy();
      await dropped;
      const reached = await eventually(async () => {
        const offset = await offsetOf(payload.uploadUrl);
        expect(offset).toBe(half);
        return offset;
      });

      const result = await tusUpload(payload.uploadUrl, png, { chunkSize: png.length });

      expect(result.error).toBeUndefined();
      expect(result.patchOffsets).toEqual([reached]);
      const asset = await assetOf(owner, payload.asset.id);
      expect(asset).toMatchObject({ width: 64, height: 64 });
      expect(Buffer.from(await (await fetch(asset!.url!)).arrayBuffer()).equals(png)).toBe(true);
    });

    it('refuses bytes that are not of the declared type with 415 and deletes the asset, freeing its quota', async () => {
      const owner = randomUUID();
      for (const [bytes, detected] of [
        [Buffer.from('this is plain text, not a PNG at all. '.repeat(20)), null],
        [gifBytes(800), 'image/gif'],
      ] as const) {
        const payload = await newUpload(owner, { byteSize: bytes.length });

        const result = await tusUpload(payload.uploadUrl, bytes, { chunkSize: 256 });

        expect(result.error?.originalResponse?.getStatus()).toBe(415);
        expect(JSON.parse(result.error!.originalResponse!.getBody())).toMatchObject({
          errors: [{ extensions: { code: 'UNSUPPORTED_MEDIA_TYPE', declared: 'image/png', detected } }],
        });
        expect(await assetOf(owner, payload.asset.id)).toBeNull();
        expect((await tusRequest(payload.uploadUrl, 'HEAD')).status).toBe(404);
        expect(await media.services.uploads.ids()).not.toContain(payload.asset.id);
      }
      expect(await media.services.assets.bytesUsedBy(owner)).toBe(0);
    });

    it('refuses requests without a valid, unexpired token for that asset and owner, never writing', async () => {
      const owner = randomUUID();
      const payload = await newUpload(owner, { byteSize: 100 });
      const other = await newUpload(owner, { byteSize: 100 });
      const { id } = payload.asset;
      const bare = payload.uploadUrl.split('?')[0]!;
      const links = media.services.uploadLinks;
      const future = Math.floor(Date.now() / 1000) + 600;
      const cases = [
        [bare, 401, 'UNAUTHENTICATED', 'TOKEN_REQUIRED'],
        [`${bare}?token=`, 401, 'UNAUTHENTICATED', 'TOKEN_REQUIRED'],
        [`${bare}?token=${other.uploadUrl.split('token=')[1]}`, 403, 'FORBIDDEN', 'TOKEN_INVALID'],
        [`${payload.uploadUrl.slice(0, -3)}abc`, 403, 'FORBIDDEN', 'TOKEN_INVALID'],
        [`${bare}?token=not-a-token`, 403, 'FORBIDDEN', 'TOKEN_INVALID'],
        [links.uploadUrlUntil(id, randomUUID(), future), 403, 'FORBIDDEN', 'TOKEN_INVALID'],
        [links.uploadUrlUntil(id, owner, Math.floor(Date.now() / 1000) - 1), 403, 'FORBIDDEN', 'TOKEN_EXPIRED'],
      ] as const;
      for (const [url, status, code, reason] of cases) {
        for (const method of ['HEAD', 'PATCH', 'DELETE']) {
          const response = await tusRequest(url, method, { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, method === 'PATCH' ? Buffer.alloc(100, 1) : undefined);
          expect({ method, url, status: response.status }).toEqual({ method, url, status });
          if (method !== 'HEAD') expect((await errorOf(response)).extensions).toEqual({ code, reason });
        }
      }
      expect(await offsetOf(payload.uploadUrl)).toBe(0);
      expect(links.uploadUrlUntil(id, owner, future)).not.toBe(payload.uploadUrl);
      expect(await offsetOf(links.uploadUrlUntil(id, owner, future))).toBe(0);
    });

    it('refuses bytes past the declared size, a different Upload-Length, and tus creation', async () => {
      const owner = randomUUID();
      const payload = await newUpload(owner, { byteSize: 100 });
      const headers = { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' };
      expect((await tusRequest(payload.uploadUrl, 'PATCH', headers, Buffer.alloc(101, 1))).status).toBe(413);
      const lengthMismatch = await tusRequest(payload.uploadUrl, 'PATCH', { ...headers, 'upload-length': '101' }, Buffer.alloc(10, 1));
      expect(lengthMismatch.status).toBe(400);
      expect((await errorOf(lengthMismatch)).extensions).toEqual({ code: 'BAD_REQUEST' });
      expect(await offsetOf(payload.uploadUrl)).toBe(0);
      const creation = await tusRequest(`${new URL(media.url).origin}/uploads`, 'POST', { 'upload-length': '100' });
      expect(creation.status).toBe(404);
      expect((await errorOf(creation)).extensions).toEqual({ code: 'NOT_FOUND' });
      expect((await tusRequest(payload.uploadUrl, 'POST', { 'upload-length': '100' })).status).toBe(405);
    });

    it('cancels an upload on DELETE: the asset and its bytes are gone and the quota is free', async () => {
      const owner = randomUUID();
      const payload = await newUpload(owner, { byteSize: 500 });
      const patched = await tusRequest(payload.uploadUrl, 'PATCH', { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, Buffer.alloc(200, 1));
      expect(patched.status).toBe(204);
      expect(await media.services.uploads.ids()).toContain(payload.asset.id);
      expect((await tusRequest(payload.uploadUrl, 'DELETE')).status).toBe(204);
      expect(await assetOf(owner, payload.asset.id)).toBeNull();
      expect(await media.services.uploads.ids()).not.toContain(payload.asset.id);
      expect(await media.services.assets.bytesUsedBy(owner)).toBe(0);
      expect((await tusRequest(payload.uploadUrl, 'HEAD')).status).toBe(404);
    });

    it('sweeps uploads whose URL has expired, and the bytes of deleted assets', async () => {
      const owner = randomUUID();
      const expiring = await newUpload(owner, { byteSize: 500 });
      const deleted = await newUpload(owner, { byteSize: 500 });
      for (const payload of [expiring, deleted]) expect(await offsetOf(payload.uploadUrl)).toBe(0);
      // Deleted behind the route's back (as by another instance): only its partial upload is left.
      await media.services.assets.deletePending(deleted.asset.id);
      expect(await media.services.uploads.ids()).toEqual(expect.arrayContaining([expiring.asset.id, deleted.asset.id]));

      const early = await sweepUploads(media.services, new Date(Date.parse(expiring.expiresAt) - 60_000));
      expect(early.partialUploads).toBeGreaterThanOrEqual(1);
      expect(await media.services.uploads.ids()).not.toContain(deleted.asset.id);
      expect(await assetOf(owner, expiring.asset.id)).not.toBeNull();

      const late = await sweepUploads(media.services, new Date(Date.parse(expiring.expiresAt) + 1000));
      expect(late.expiredAssets).toBeGreaterThanOrEqual(1);
      expect(await assetOf(owner, expiring.asset.id)).toBeNull();
      expect(await media.services.uploads.ids()).not.toContain(expiring.asset.id);
      expect(await media.services.assets.bytesUsedBy(owner)).toBe(0);
    });
  });

  describe('CORS', () => {
    const preflight = (origin: string, url: string) =>
      fetch(url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'tus-resumable, upload-offset, content-type' },
      });

    it('answers the preflight of an allowed origin with the tus methods and headers', async () => {
      const payload = await newUpload(randomUUID(), { byteSize: 100 });
      const response = await preflight(APP_ORIGIN, payload.uploadUrl);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      expect(response.headers.get('access-control-allow-methods')).toMatch(/\bPATCH\b/);
      expect(response.headers.get('access-control-allow-methods')).toMatch(/\bHEAD\b/);
      for (const header of ['Tus-Resumable', 'Upload-Offset', 'Content-Type']) expect(response.headers.get('access-control-allow-headers')).toContain(header);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('gives any other origin no CORS headers, so its browser withholds the answers', async () => {
      const payload = await newUpload(randomUUID(), { byteSize: 100 });
      for (const origin of ['https://evil.example', 'http://127.0.0.1:5173', 'null']) {
        expect((await preflight(origin, payload.uploadUrl)).headers.get('access-control-allow-origin')).toBeNull();
        expect((await tusRequest(payload.uploadUrl, 'HEAD', { origin })).headers.get('access-control-allow-origin')).toBeNull();
      }
    });

    it('lets an allowed origin read the tus headers of uploads, their errors, and files', async () => {
      const owner = randomUUID();
      const png = noisePng(8, 8);
      const payload = await newUpload(owner, { byteSize: png.length });
      const head = await tusRequest(payload.uploadUrl, 'HEAD', { origin: APP_ORIGIN });
      expect(head.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      expect(head.headers.get('vary')).toContain('Origin');
      for (const header of ['Upload-Offset', 'Upload-Length', 'Tus-Resumable']) expect(head.headers.get('access-control-expose-headers')).toContain(header);
      const refused = await tusRequest(payload.uploadUrl.split('?')[0]!, 'HEAD', { origin: APP_ORIGIN });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);

      expect((await tusUpload(payload.uploadUrl, png, { headers: { origin: APP_ORIGIN } })).error).toBeUndefined();
      const complete = await tusRequest(payload.uploadUrl, 'HEAD', { origin: APP_ORIGIN });
      expect(complete.headers.get('upload-offset')).toBe(String(png.length));
      expect(complete.headers.get('access-control-expose-headers')).toContain('Upload-Offset');
      const { url } = (await assetOf(owner, payload.asset.id))!;
      expect((await fetch(url!, { headers: { origin: APP_ORIGIN } })).headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      expect((await fetch(url!, { headers: { origin: 'https://evil.example' } })).headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
