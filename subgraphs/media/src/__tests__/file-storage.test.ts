import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryFileStorage, type FileStorage } from '../files/file-storage.js';
import { LocalDiskFileStorage } from '../files/local-disk.storage.js';

const directories: string[] = [];
afterAll(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

async function temporaryDirectory(): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'mega-media-storage-'));
  directories.push(directory);
  return directory;
}

const STORAGES: { name: string; create: () => Promise<FileStorage> }[] = [
  { name: 'memory', create: async () => new MemoryFileStorage() },
  { name: 'local disk', create: async () => new LocalDiskFileStorage(await temporaryDirectory()) },
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
