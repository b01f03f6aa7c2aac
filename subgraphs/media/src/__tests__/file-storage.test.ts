import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryFileStorage, type FileStorage } from '../files/file-storage.js';
import { LocalDiskFileStorage } from '../files/local-disk.storage.js';
import { S3FileStorage } from '../files/s3.storage.js';
import { startS3Stub } from './s3-stub.js';

const directories: string[] = [];
const S3_BUCKET = 'mega-media';
const S3_ACCESS_KEY_ID = 'test-access-key';
const s3 = await startS3Stub(S3_BUCKET, S3_ACCESS_KEY_ID);
const s3Storages: S3FileStorage[] = [];
afterAll(async () => {
  for (const storage of s3Storages) storage.close();
  await s3.stop();
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

/** An S3 storage on the stub server, under a prefix of its own so tests do not share objects. */
function s3Storage(): S3FileStorage {
  const storage = new S3FileStorage({
    bucket: S3_BUCKET,
    endpoint: s3.endpoint,
    region: 'eu-west-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: 'test-secret' },
    keyPrefix: `run-${s3Storages.length}/`,
  });
  s3Storages.push(storage);
  return storage;
}

async function temporaryDirectory(): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'mega-media-storage-'));
  directories.push(directory);
  return directory;
}

const STORAGES: { name: string; create: () => Promise<FileStorage> }[] = [
  { name: 'memory', create: async () => new MemoryFileStorage() },
  { name: 'local disk', create: async () => new LocalDiskFileStorage(await temporaryDirectory()) },
  { name: 'S3 (a stub server)', create: async () => s3Storage() },
];

describe.each(STORAGES)('$name file storage', ({ create }) => {
  it('returns the stored bytes and their size, and replaces them on a second put', async () => {
    const storage = await create();
    await storage.put('assets/a/original.txt', Buffer.from('first'), 'text/plain');
    await storage.put('assets/a/original.txt', Buffer.from('second!'), 'text/plain');
    const file = await storage.get('assets/a/original.txt');
    expect(file?.size).toBe(7);
    expect(await text(file!.body)).toBe('second!');
  });

  it('answers undefined for a missing key and deletes idempotently', async () => {
    const storage = await create();
    expect(await storage.get('assets/none/original.png')).toBeUndefined();
    await storage.put('assets/b/original.png', new Uint8Array([1, 2, 3]), 'image/png');
    await storage.delete('assets/b/original.png');
    await storage.delete('assets/b/original.png');
    expect(await storage.get('assets/b/original.png')).toBeUndefined();
  });

  it('refuses keys that could leave its root', async () => {
    const storage = await create();
    for (const key of ['../escape', 'assets/../../escape', '/etc/passwd', 'assets//x', '', 'assets/.hidden']) {
      await expect(storage.put(key, new Uint8Array([1]), 'text/plain')).rejects.toThrow(/Malformed storage key/);
      await expect(storage.get(key)).rejects.toThrow(/Malformed storage key/);
    }
  });
});

describe('local disk file storage', () => {
  it('keeps each file at <root>/<key> and leaves no temporary files behind', async () => {
    const root = await temporaryDirectory();
    await new LocalDiskFileStorage(root).put('assets/c/original.png', new Uint8Array([9, 9]), 'image/png');
    expect(await readdir(path.join(root, 'assets', 'c'))).toEqual(['original.png']);
  });
});

describe('S3 file storage', () => {
  it('puts, gets and deletes <prefix><key> in its bucket, path-style, with the MIME type as Content-Type', async () => {
    const storage = s3Storage();
    const before = s3.requests.length;
    await storage.put('assets/d/original.png', new Uint8Array([1, 2, 3, 4]), 'image/png');
    const file = await storage.get('assets/d/original.png');
    expect(file?.size).toBe(4);
    file!.body.destroy();
    await storage.delete('assets/d/original.png');
    const prefix = `/${S3_BUCKET}/run-${s3Storages.length - 1}/`;
    expect(s3.requests.slice(before).map(({ method, path: requestPath, contentType, body }) => ({ method, path: requestPath, contentType, size: body.length }))).toEqual([
      { method: 'PUT', path: `${prefix}assets/d/original.png`, contentType: 'image/png', size: 4 },
      { method: 'GET', path: `${prefix}assets/d/original.png`, contentType: undefined, size: 0 },
      { method: 'DELETE', path: `${prefix}assets/d/original.png`, contentType: undefined, size: 0 },
    ]);
  });

  it('fails, rather than answering "missing", when the server refuses it', async () => {
    const storage = new S3FileStorage({ bucket: S3_BUCKET, endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'someone-else', secretAccessKey: 'x' } });
    s3Storages.push(storage);
    await expect(storage.get('assets/e/original.png')).rejects.toThrow();
    await expect(storage.put('assets/e/original.png', new Uint8Array([1]), 'image/png')).rejects.toThrow();
  });
});
