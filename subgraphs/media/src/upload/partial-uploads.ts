import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import { ERRORS, MemoryLocker, Upload } from '@tus/server';

/** What a partial upload is made from: its PENDING asset. */
export interface UploadTarget {
  id: string;
  byteSize: number;
  mimeType: string;
}

function isMissingUpload(error: unknown): boolean {
  return error === ERRORS.FILE_NOT_FOUND || error === ERRORS.FILE_NO_LONGER_EXISTS;
}

/**
 * Uploads in progress: the bytes received so far, in tus's `FileStore` (`<assetId>` and
 * `<assetId>.json` in one folder), and the locker that makes requests for one upload take turns.
 * An upload is made on first use from its PENDING asset, whose `byteSize` fixes its length; its
 * id is the asset's id. The locker is per process, so requests for one upload must reach one
 * instance at a time, and the folder must be the same for every instance that may receive them.
 */
export class PartialUploads {
  readonly locker = new MemoryLocker();

  private constructor(
    readonly datastore: FileStore,
    private readonly ownedDirectory: string | undefined,
  ) {
    // Uploads are created by `createUpload`, not by tus POST requests, and they end with it
    // (READY) or with a DELETE that the upload route answers itself: advertise termination only.
    datastore.extensions = ['termination'];
  }

  /**
   * @param directory where partial uploads are kept; absent, a new temporary folder that
   * {@link close} removes (tests and throw-away runs)
   */
  static async open(directory?: string): Promise<PartialUploads> {
    const folder = directory ?? (await mkdtemp(path.join(tmpdir(), 'mega-media-uploads-')));
    await mkdir(folder, { recursive: true });
    return new PartialUploads(new FileStore({ directory: folder }), directory ? undefined : folder);
  }

  /** The upload of a PENDING asset, made empty when it does not exist yet. */
  async open(target: UploadTarget): Promise<Upload> {
    const existing = await this.find(target.id);
    if (existing) return existing;
    // Made under the upload's lock, so that two first requests cannot both make it (the second
    // would empty what the first has received); an existing upload is read without the lock,
    // which would make tus cancel a PATCH in progress.
    const lock = this.locker.newLock(target.id);
    await lock.lock(new AbortController().signal, async () => undefined);
    try {
      return (
        (await this.find(target.id)) ??
        (await this.datastore.create(
          new Upload({ id: target.id, size: target.byteSize, offset: 0, metadata: { filetype: target.mimeType }, creation_date: new Date().toISOString() }),
        ))
      );
    } finally {
      await lock.unlock();
    }
  }

  private async find(id: string): Promise<Upload | undefined> {
    try {
      return await this.datastore.getUpload(id);
    } catch (error) {
      if (isMissingUpload(error)) return undefined;
      throw error;
    }
  }

  /** All bytes of an upload (a finished one; at most the largest upload size). */
  read(id: string): Promise<Buffer> {
    return readFile(path.join(this.datastore.directory, id));
  }

  /** Removes an upload's bytes and description; a missing upload is not an error. */
  async discard(id: string): Promise<void> {
    try {
      await this.datastore.remove(id);
    } catch (error) {
      if (!isMissingUpload(error)) throw error;
      // remove() unlinks the bytes first: a description may be left behind.
      await this.datastore.configstore.delete(id).catch(() => undefined);
    }
  }

  /** The ids of the uploads kept here. */
  async ids(): Promise<string[]> {
    return (await this.datastore.configstore.list?.()) ?? [];
  }

  /** Removes the temporary folder, when {@link open} made one. */
  async close(): Promise<void> {
    if (this.ownedDirectory) await rm(this.ownedDirectory, { recursive: true, force: true });
  }
}
