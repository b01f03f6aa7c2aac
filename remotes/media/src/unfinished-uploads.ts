/**
 * Uploads that were started but not finished, remembered in the browser's `localStorage` per
 * user so that one cut by a reload (or a closed tab) can be resumed: not the file's bytes (a page
 * cannot keep access to a chosen file across a reload), but what `createUpload` needs to give the
 * same asset again and what identifies the file when the user chooses it again.
 */
export interface UnfinishedUpload {
  /** The upload's `clientMutationId`: createUpload with it returns the same asset and upload. */
  key: string;
  filename: string;
  title: string;
  mimeType: string;
  byteSize: number;
  /** The file's `lastModified` (ms): with the name and size, how the same file is recognised. */
  lastModified: number;
  /** The PENDING asset. */
  assetId: string;
}

const storageKey = (userId: string) => `mega.media.unfinished-uploads.${userId}`;

function isUnfinishedUpload(value: unknown): value is UnfinishedUpload {
  const item = value as Partial<UnfinishedUpload> | null;
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof item.key === 'string' &&
    typeof item.filename === 'string' &&
    typeof item.title === 'string' &&
    typeof item.mimeType === 'string' &&
    typeof item.byteSize === 'number' &&
    typeof item.lastModified === 'number' &&
    typeof item.assetId === 'string'
  );
}

/** The user's unfinished uploads, oldest first; none when storage is unavailable or holds something else. */
export function readUnfinishedUploads(userId: string): UnfinishedUpload[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(storageKey(userId)) ?? '[]');
    return Array.isArray(stored) ? stored.filter(isUnfinishedUpload) : [];
  } catch {
    return [];
  }
}

function write(userId: string, uploads: UnfinishedUpload[]): void {
  try {
    if (uploads.length === 0) localStorage.removeItem(storageKey(userId));
    else localStorage.setItem(storageKey(userId), JSON.stringify(uploads));
  } catch {
    // Storage full or disabled: the upload still works, it just cannot be resumed after a reload.
  }
}

/** Remembers an upload whose asset exists (after createUpload answered), replacing one with the same key. */
export function rememberUpload(userId: string, upload: UnfinishedUpload): void {
  write(userId, [...readUnfinishedUploads(userId).filter((item) => item.key !== upload.key), upload]);
}

/** Forgets an upload: it is READY, cancelled, or its asset is gone. */
export function forgetUpload(userId: string, key: string): void {
  const uploads = readUnfinishedUploads(userId);
  if (uploads.some((item) => item.key === key)) write(userId, uploads.filter((item) => item.key !== key));
}

/** Whether `file` is the file an unfinished upload was sending: same name, size and modification time. */
export function isSameFile(upload: UnfinishedUpload, file: File): boolean {
  return file.name === upload.filename && file.size === upload.byteSize && file.lastModified === upload.lastModified;
}
