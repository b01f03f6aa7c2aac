/** One action in the outbox, as kept in IndexedDB. */
export interface OutboxItem {
  /** The mutation's clientMutationId: the subgraph returns its first result again for it, so a resend never duplicates. */
  id: string;
  operationName: string;
  /** The mutation's document (plain JSON), to send it after a reload even if no mini-app registered it. */
  document: unknown;
  variables: Record<string, unknown>;
  /** How its mini-app names it to the user (kept: the mini-app may be gone when the item fails). */
  label?: string;
  status: 'pending' | 'failed';
  /** Why the server refused it (a failed item): its message and code. */
  error?: { message: string; code?: string };
  /** Why the server did not take it at the last attempt though it answered (a pending item: a 5xx, a transient code); sent again. */
  problem?: { message: string; code?: string };
}

const DB_NAME = 'mega-outbox';
const STORE = 'queues';

/**
 * Each user's outbox as one record (a short array, rewritten whole) in plain IndexedDB; nothing
 * is kept where IndexedDB is missing (the items then live as long as the page).
 */
export class OutboxStore {
  private db: Promise<IDBDatabase | null> | undefined;

  private open(): Promise<IDBDatabase | null> {
    this.db ??= new Promise((resolve) => {
      if (typeof indexedDB === 'undefined') return resolve(null);
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
    });
    return this.db;
  }

  private async run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T | undefined> {
    const db = await this.open();
    if (!db) return undefined;
    return new Promise((resolve, reject) => {
      const request = work(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async load(userId: string): Promise<OutboxItem[]> {
    return ((await this.run('readonly', (store) => store.get(userId))) as OutboxItem[] | undefined) ?? [];
  }

  async save(userId: string, items: readonly OutboxItem[]): Promise<void> {
    await this.run<unknown>('readwrite', (store) => (items.length > 0 ? store.put(items, userId) : store.delete(userId)) as IDBRequest<unknown>);
  }

  /** Deletes every other user's items (one left behind when the outbox was not loaded at their sign-out). */
  async keepOnly(userId: string): Promise<void> {
    const keys = (await this.run('readonly', (store) => store.getAllKeys())) ?? [];
    for (const key of keys) if (key !== userId) await this.run<unknown>('readwrite', (store) => store.delete(key) as IDBRequest<unknown>);
  }

  /** Every user's items (sign-out: nothing of one user is left for the next). */
  async clear(): Promise<void> {
    await this.run('readwrite', (store) => store.clear());
  }
}
