import type { ApolloCache } from '@apollo/client';
import { createStore, del, get, keys, set, type UseStore } from 'idb-keyval';

/**
 * The format of a saved cache. Bump it when what is saved changes meaning (the entry's shape, the
 * cache's type policies or key fields): a saved cache of another version is discarded, not restored.
 */
export const CACHE_FORMAT_VERSION = 1;
/** A cache larger than this, serialized (in UTF-16 code units, about bytes for JSON), is not saved. @default 5 MiB */
export const MAX_SAVED_CACHE_SIZE = 5 * 1024 * 1024;
/** How long after the last change of the cache it is saved. @default 1 s */
export const SAVE_DELAY_MS = 1000;

/** The User Timing marks of a restore (read by `pnpm bench:cache`, shown in the browser's performance panel). */
export const RESTORE_MARKS = { start: 'mega:cache-restore-start', end: 'mega:cache-restored' } as const;

/** What is kept in IndexedDB per user (database `mega-cache`, store `caches`, key `cache:<user id>`). */
export interface SavedCache {
  version: number;
  userId: string;
  savedAt: string;
  /** `JSON.stringify(cache.extract())` */
  data: string;
}

let database: UseStore | undefined;
/** The IndexedDB store of saved caches, opened on first use. */
const store = () => (database ??= createStore('mega-cache', 'caches'));
const keyOf = (userId: string) => `cache:${userId}`;

/** Deletes the saved cache of a user (at sign-out, or when their refresh token is refused). */
export function forgetSavedCache(userId: string): Promise<void> {
  return del(keyOf(userId), store());
}

/** The saved cache of `userId`, if there is one of this format; deletes every other user's. */
async function takeSavedCache(userId: string): Promise<SavedCache | undefined> {
  const others = (await keys(store())).filter((key) => key !== keyOf(userId));
  await Promise.all(others.map((key) => del(key, store())));
  const saved = await get<SavedCache>(keyOf(userId), store());
  if (saved?.version === CACHE_FORMAT_VERSION && saved.userId === userId) return saved;
  if (saved) await forgetSavedCache(userId);
  return undefined;
}

/** The signed-in user the persistor saves for: the shell's session. */
export interface PersistedUser {
  readonly user: { id: string } | null;
  subscribe(listener: () => void): () => void;
}

export interface CachePersistor {
  /**
   * Resolves when the cache holds what was saved for the signed-in user (or nothing was saved, or it
   * could not be read); the same promise until the user changes. Render no query before it.
   */
  restored(): Promise<void>;
  /** Saves now what is waiting to be saved. */
  flush(): Promise<void>;
  /** Stops listening to the cache, the session and the page. */
  stop(): void;
}

/**
 * Keeps `cache` in IndexedDB for the signed-in user: restored when a user is signed in, saved
 * {@link SAVE_DELAY_MS} after the last change and at once when the page is hidden or left, not saved
 * over {@link MAX_SAVED_CACHE_SIZE} (the saved copy is deleted then, and a warning logged once), and
 * deleted when the user signs out. Only the signed-in user's cache is ever restored, and restoring
 * it deletes any other user's.
 */
export function createCachePersistor(cache: ApolloCache, session: PersistedUser, { saveDelayMs = SAVE_DELAY_MS, maxSize = MAX_SAVED_CACHE_SIZE } = {}): CachePersistor {
  let userId = session.user?.id ?? null;
  let restoring = userId ? restore(userId) : Promise.resolve();
  let restoredFor: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let warnedTooLarge = false;

  async function restore(id: string): Promise<void> {
    performance.mark(RESTORE_MARKS.start);
    let characters = 0;
    try {
      const saved = await takeSavedCache(id);
      if (saved && userId === id) {
        cache.restore(JSON.parse(saved.data) as ReturnType<ApolloCache['extract']>);
        characters = saved.data.length;
      }
    } catch (error) {
      console.warn('The saved cache could not be read; starting with an empty one.', error);
    } finally {
      if (userId === id) restoredFor = id;
      performance.mark(RESTORE_MARKS.end, { detail: { characters } });
    }
  }

  async function save(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    // Nothing is saved before the user's saved cache was restored: it would overwrite it.
    const id = userId;
    if (!id || restoredFor !== id) return;
    const data = JSON.stringify(cache.extract());
    try {
      if (data.length > maxSize) {
        if (!warnedTooLarge) console.warn(`The cache (${data.length} characters) is over ${maxSize}: it is not saved for offline use.`);
        warnedTooLarge = true;
        await forgetSavedCache(id);
        return;
      }
      await set(keyOf(id), { version: CACHE_FORMAT_VERSION, userId: id, savedAt: new Date().toISOString(), data } satisfies SavedCache, store());
    } catch (error) {
      console.warn('The cache could not be saved.', error);
    }
  }

  const scheduleSave = () => {
    if (!userId) return;
    clearTimeout(timer);
    timer = setTimeout(() => void save(), saveDelayMs);
  };

  // Every change of the cache goes through one of these.
  const originals = { write: cache.write, modify: cache.modify, evict: cache.evict, reset: cache.reset };
  for (const name of Object.keys(originals) as (keyof typeof originals)[]) {
    const original = originals[name] as (...args: unknown[]) => unknown;
    (cache as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      const result = original.apply(cache, args);
      scheduleSave();
      return result;
    };
  }

  const unsubscribe = session.subscribe(() => {
    const next = session.user?.id ?? null;
    if (next === userId) return;
    clearTimeout(timer);
    timer = undefined;
    const previous = userId;
    userId = next;
    restoredFor = null;
    if (previous && !next) void forgetSavedCache(previous).catch(() => undefined);
    restoring = next ? restore(next) : Promise.resolve();
  });

  const saveNow = () => {
    if (timer !== undefined) void save();
  };
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') saveNow();
  };
  addEventListener('pagehide', saveNow);
  document.addEventListener('visibilitychange', onVisibility);

  return {
    restored: () => restoring,
    flush: () => (timer !== undefined ? save() : Promise.resolve()),
    stop: () => {
      clearTimeout(timer);
      unsubscribe();
      removeEventListener('pagehide', saveNow);
      document.removeEventListener('visibilitychange', onVisibility);
      Object.assign(cache, originals);
    },
  };
}
