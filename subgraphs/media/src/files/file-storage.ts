import { Readable } from 'node:stream';

/** A stored file, opened for reading. */
export interface StoredFile {
  /** The bytes; destroy it when they are not needed (a HEAD request). */
  body: Readable;
  /** Length of `body` in bytes. */
  size: number;
}

/**
 * Where media files live. Keys are `/`-separated paths of `[A-Za-z0-9._-]` segments; a key is
 * written once and never reused for other bytes, so a key also identifies its content.
 * Implementations: {@link MemoryFileStorage} (tests), `LocalDiskFileStorage`, `S3FileStorage`; one
 * test suite runs on each (`__tests__/file-storage.test.ts`).
 */
export interface FileStorage {
  /** Stores `bytes` under `key`, replacing anything there; `mimeType` is kept where the back end can (S3). */
  put(key: string, bytes: Uint8Array, mimeType: string): Promise<void>;
  /** @returns the file, or undefined when nothing is stored under `key` */
  get(key: string): Promise<StoredFile | undefined>;
  /** Removes the file; a missing file is not an error. */
  delete(key: string): Promise<void>;
  /** Lets go of connections, if it holds any; called once when the subgraph stops. */
  close?(): void;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/**
 * Checks a storage key: no empty, `.` or `..` segments, no absolute paths.
 * @throws Error for a malformed key (keys are made by this subgraph, never taken from clients)
 */
export function checkStorageKey(key: string): string {
  if (key.length > 512 || !KEY.test(key)) throw new Error(`Malformed storage key: ${JSON.stringify(key)}`);
  return key;
}

/** Keeps files in process memory; for tests and throw-away runs. */
export class MemoryFileStorage implements FileStorage {
  private readonly files = new Map<string, Buffer>();

  async put(key: string, bytes: Uint8Array, _mimeType: string): Promise<void> {
    this.files.set(checkStorageKey(key), Buffer.from(bytes));
  }

  async get(key: string): Promise<StoredFile | undefined> {
    const bytes = this.files.get(checkStorageKey(key));
    return bytes ? { body: Readable.from([bytes]), size: bytes.length } : undefined;
  }

  async delete(key: string): Promise<void> {
    this.files.delete(checkStorageKey(key));
  }
}

/** The storage key of one of an asset's files, for example `assets/<id>/original.png`. */
export function assetFileKey(assetId: string, variant: 'original' | 'thumbnail', extension: string): string {
  return checkStorageKey(`assets/${assetId}/${variant}.${extension}`);
}
