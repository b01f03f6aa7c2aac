/// <reference lib="webworker" />
/**
 * The mini-apps' code in the service worker's Cache Storage, one cache per mini-app version, so that
 * a mini-app opened once opens offline next time and a page never mixes two versions of one.
 *
 * Why versions, and which version a request gets:
 * - A mini-app's `mf-manifest.json` and `remoteEntry.js` keep their names from one release to the
 *   next; only its `assets/` are content-hashed. A cache keyed by URL alone could answer a page with
 *   the new manifest and an old remote entry (or the reverse), whose chunks then do not match.
 * - So a version is the SHA-256 of the manifest's bytes (the manifest lists the hashed file names of
 *   every exposed module and share, and a chunk's hash changes with the chunks it imports, so any
 *   change of code changes the manifest). Each version has a cache of its own,
 *   `mega-mini-app:<version>:<manifestUrl>`, holding its manifest, its remote entry (fetched together
 *   with the manifest, never later on its own) and the chunks it loaded or listed.
 * - The manifest is network-first (3 s, then the newest cached version of that URL; with none kept
 *   yet, as long as the network takes). The page that
 *   got it is pinned to that version: the remote entry and chunks it asks next come from that
 *   version's cache, whatever another page or a background refresh stored meanwhile. Pins are kept
 *   in Cache Storage beside the index (saved before the page gets the manifest), because the browser
 *   stops an idle worker after about 30 s: the next worker reads them at its first request, so a
 *   page keeps its version across that. A request of a page without a pin gets the newest version
 *   of the URL. A pin goes when its page is gone (at the next prune).
 * - Hashed chunks may be answered from any version of the same URL prefix (same name, same bytes),
 *   so a page still running the previous version finds its lazy chunks after a newer one arrived:
 *   two versions per manifest URL are kept, and any version a live page is pinned to.
 *
 * Rollback: the registry's `manifestUrl` is the deployment. Pointing it back at an earlier release
 * makes the shell ask that URL, whose cached version (or the network's) is used; a rollback served
 * at the same URL is a new manifest, hence a version like any other. Nothing here outlives the
 * registry's word: only the mini-apps the registry lists now are refreshed.
 *
 * Never stored: anything but a plain 200 GET of a mini-app's files, a request with an Authorization
 * header or `credentials: 'include'`, the gateway's origin or any `/graphql` path (the Apollo cache
 * and the outbox own data). Private media files (the media service's `/files/`) are not under a
 * mini-app's URL, so they are never stored: nothing user-specific is in Cache Storage.
 */
import { CacheExpiration } from 'workbox-expiration';
import { MINI_APP_UPDATE_MESSAGE } from './sw-messages';

declare const self: ServiceWorkerGlobalScope;

/** Versions kept per manifest URL, besides any a live page is pinned to. */
export const VERSIONS_PER_MINI_APP = 2;
/** Files kept in one version's cache (a mini-app has a few dozen). */
export const MAX_FILES_PER_VERSION = 400;
/** A manifest URL not asked for that long is forgotten with its versions (a mini-app removed from the registry). */
export const MINI_APP_MAX_AGE_SECONDS = 30 * 24 * 3600;
/** How long the manifest may take before the cached version is used. */
export const MANIFEST_NETWORK_TIMEOUT_MS = 3_000;

const CACHE_PREFIX = 'mega-mini-app:';
const INDEX_CACHE = 'mega-mini-apps-index';
const INDEX_KEY = '/__mega/mini-apps.json';
const PINS_KEY = '/__mega/mini-app-pins.json';

interface IndexEntry {
  /** The mini-app's id (the registry's, or the manifest's `name`). */
  id: string;
  /** Its versions, newest first. */
  versions: string[];
  /** When a page last asked for it (ms). */
  usedAt: number;
}
type MiniAppIndex = Record<string, IndexEntry>;
/** clientId -> manifest URL -> the version that page started with. */
type Pins = Map<string, Map<string, string>>;

/** The manifest's files relative to it: the remote entry, then every listed asset. */
interface ManifestShape {
  name?: string;
  metaData?: { remoteEntry?: { name?: string; path?: string } };
  shared?: { assets?: Assets }[];
  exposes?: { assets?: Assets }[];
}
interface Assets {
  js?: { sync?: string[]; async?: string[] };
  css?: { sync?: string[]; async?: string[] };
}

const cacheName = (manifestUrl: string, version: string) => `${CACHE_PREFIX}${version}:${manifestUrl}`;
const baseOf = (manifestUrl: string) => manifestUrl.slice(0, manifestUrl.lastIndexOf('/') + 1);
/** Content-hashed file names (vite's `name-Hash8.js`): the same name always holds the same bytes. */
const isHashed = (pathname: string) => /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/.test(pathname);

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...digest.slice(0, 8)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Whether a response to `request` may go into Cache Storage: a whole 200 answer to a GET without credentials. */
export function storable(request: Request, response: Response): boolean {
  return request.method === 'GET' && !request.headers.has('authorization') && request.credentials !== 'include' && response.status === 200 && (response.type === 'basic' || response.type === 'cors') && !response.headers.get('vary')?.includes('*');
}

/** `request` without a cache or credentials; aborted after `timeoutMs` unless it is undefined. */
async function fetchWithTimeout(request: Request | string, timeoutMs: number | undefined): Promise<Response> {
  const controller = new AbortController();
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await fetch(request, { signal: controller.signal, cache: 'no-cache', credentials: 'omit' });
  } finally {
    clearTimeout(timer);
  }
}

/** The mini-apps' code: what the worker's fetch routes and the update check call. */
export class MiniAppCode {
  /** Manifest URLs by their folder (the prefix of every file of that mini-app). */
  readonly #bases = new Map<string, string>();
  #index: Promise<MiniAppIndex> | undefined;
  #pins: Promise<Pins> | undefined;
  #writes: Promise<unknown> = Promise.resolve();
  /** The gateway's origin and path are never handled (GraphQL belongs to Apollo's cache and the outbox). */
  excluded: (url: URL) => boolean = (url) => url.pathname.endsWith('/graphql');

  /** Learns the mini-apps' URLs from a registry document (the shell's `/registry.json`). */
  learnRegistry(registry: unknown): { id: string; manifestUrl: string }[] {
    const apps = (registry as { apps?: { id?: unknown; manifestUrl?: unknown }[] } | null)?.apps ?? [];
    const listed = apps.filter((app): app is { id: string; manifestUrl: string } => typeof app.id === 'string' && typeof app.manifestUrl === 'string');
    for (const app of listed) if (baseOf(app.manifestUrl) !== `${self.location.origin}/`) this.#bases.set(baseOf(app.manifestUrl), app.manifestUrl);
    return listed;
  }

  /** The manifest URL whose files `url` is one of, if it belongs to a known mini-app. */
  async manifestFor(url: URL): Promise<string | undefined> {
    if (this.excluded(url)) return undefined;
    if (url.pathname.endsWith('/mf-manifest.json')) return url.origin + url.pathname;
    if (this.#bases.size === 0) for (const manifestUrl of Object.keys(await this.#readIndex())) this.#bases.set(baseOf(manifestUrl), manifestUrl);
    for (const [base, manifestUrl] of this.#bases) if (url.href.startsWith(base)) return manifestUrl;
    return undefined;
  }

  /** Answers a mini-app's manifest: network-first; the page is pinned to the version it got. */
  async manifest(request: Request, clientId: string, manifestUrl: string): Promise<Response> {
    // A mini-app at the root of the shell's own origin would take in the shell's files: not kept.
    if (baseOf(manifestUrl) === `${self.location.origin}/`) return fetch(request);
    this.#bases.set(baseOf(manifestUrl), manifestUrl);
    const kept = (await this.#readIndex())[manifestUrl]?.versions[0];
    let version: string | undefined;
    try {
      // With a version kept, a network that is slow to answer gives way to it; without one, the network is all there is.
      const response = await fetchWithTimeout(manifestUrl, kept ? MANIFEST_NETWORK_TIMEOUT_MS : undefined);
      if (!response.ok) return response;
      version = await this.#install(manifestUrl, await response.text(), { whole: false });
    } catch {
      version = kept;
    }
    const cached = version ? await (await caches.open(cacheName(manifestUrl, version))).match(manifestUrl) : undefined;
    if (!version || !cached) return Response.error();
    await this.#pin(clientId, manifestUrl, version);
    void this.#touch(manifestUrl);
    return cached;
  }

  /** Answers a file of a mini-app (its remote entry, a chunk, a style sheet) from the page's version, else the network (then kept in that version). */
  async file(request: Request, clientId: string, manifestUrl: string): Promise<Response> {
    const version = (await this.#readPins()).get(clientId)?.get(manifestUrl) ?? (await this.#readIndex())[manifestUrl]?.versions[0];
    const cache = version ? await caches.open(cacheName(manifestUrl, version)) : undefined;
    const url = request.url.split('#')[0]!;
    const cached = (await cache?.match(url)) ?? (isHashed(new URL(url).pathname) ? await this.#matchAnyVersion(manifestUrl, url) : undefined);
    if (cached) return cached;
    // Always a CORS request without credentials (a mini-app's host must allow CORS): a style sheet's
    // <link> asks `no-cors`, whose opaque answer could not be checked and costs megabytes of quota.
    const corsRequest = new Request(url, { mode: 'cors', credentials: 'omit' });
    const response = await fetch(corsRequest);
    if (cache && version && storable(corsRequest, response)) {
      await cache.put(url, response.clone());
      const expiration = new CacheExpiration(cacheName(manifestUrl, version), { maxEntries: MAX_FILES_PER_VERSION });
      void expiration.updateTimestamp(url).then(() => expiration.expireEntries());
    }
    return response;
  }

  /**
   * Fetches the newest version of every mini-app in `registry` that this browser ran before (by
   * id), whole (the remote entry and every file its manifest lists), and tells each page running an
   * older version or another URL of it. What a background refresh and the pages' update check run.
   */
  async refresh(registry: unknown): Promise<void> {
    const listed = this.learnRegistry(registry);
    const index = await this.#readIndex();
    const usedIds = new Set(Object.values(index).map((entry) => entry.id));
    const fresh = new Map<string, { manifestUrl: string; version: string }>();
    for (const app of listed.filter((candidate) => usedIds.has(candidate.id))) {
      try {
        const response = await fetchWithTimeout(app.manifestUrl, 15_000);
        if (!response.ok) continue;
        const version = await this.#install(app.manifestUrl, await response.text(), { whole: true, id: app.id });
        fresh.set(app.id, { manifestUrl: app.manifestUrl, version });
      } catch {
        // Offline or the mini-app's host is down: the cached versions stay, tried again next time.
      }
    }
    const idOf = (manifestUrl: string) => index[manifestUrl]?.id;
    const allPins = await this.#readPins();
    for (const client of await self.clients.matchAll({ type: 'window' })) {
      const pins = allPins.get(client.id);
      if (!pins) continue;
      for (const [manifestUrl, version] of pins) {
        const id = idOf(manifestUrl);
        const newest = id ? fresh.get(id) : undefined;
        if (newest && (newest.manifestUrl !== manifestUrl || newest.version !== version)) client.postMessage({ type: MINI_APP_UPDATE_MESSAGE, id });
      }
    }
    await this.prune();
  }

  /** Forgets the pins of pages gone, keeps {@link VERSIONS_PER_MINI_APP} versions per URL (and those live pages are pinned to), forgets URLs unused for {@link MINI_APP_MAX_AGE_SECONDS}. */
  async prune(): Promise<void> {
    const live = new Set((await self.clients.matchAll()).map((client) => client.id));
    const pins = await this.#readPins();
    const gone = [...pins.keys()].filter((clientId) => !live.has(clientId));
    if (gone.length > 0) {
      for (const clientId of gone) pins.delete(clientId);
      await this.#savePins();
    }
    const pinned = new Set([...pins.values()].flatMap((pins) => [...pins].map(([manifestUrl, version]) => cacheName(manifestUrl, version))));
    await this.#update((index) => {
      for (const [manifestUrl, entry] of Object.entries(index)) {
        if (Date.now() - entry.usedAt > MINI_APP_MAX_AGE_SECONDS * 1000 && !entry.versions.some((version) => pinned.has(cacheName(manifestUrl, version)))) delete index[manifestUrl];
        else entry.versions = entry.versions.filter((version, at) => at < VERSIONS_PER_MINI_APP || pinned.has(cacheName(manifestUrl, version)));
      }
    });
    const kept = new Set(Object.entries(await this.#readIndex()).flatMap(([manifestUrl, entry]) => entry.versions.map((version) => cacheName(manifestUrl, version))));
    for (const name of await caches.keys()) if (name.startsWith(CACHE_PREFIX) && !kept.has(name)) await caches.delete(name);
  }

  /** Stores a version (the manifest and its remote entry; `whole`: every listed file too) unless it is stored already; returns it. */
  async #install(manifestUrl: string, text: string, { whole, id }: { whole: boolean; id?: string }): Promise<string> {
    const version = await sha256(text);
    const index = await this.#readIndex();
    const known = index[manifestUrl]?.versions.includes(version);
    const manifest = JSON.parse(text) as ManifestShape;
    const base = baseOf(manifestUrl);
    const entry = manifest.metaData?.remoteEntry;
    const files = new Set([new URL(`${entry?.path ?? ''}${entry?.path ? '/' : ''}${entry?.name ?? 'remoteEntry.js'}`, base).href]);
    if (whole) {
      for (const assets of [...(manifest.shared ?? []), ...(manifest.exposes ?? [])].map((item) => item.assets ?? {})) {
        for (const file of [...(assets.js?.sync ?? []), ...(assets.js?.async ?? []), ...(assets.css?.sync ?? []), ...(assets.css?.async ?? [])]) files.add(new URL(file, base).href);
      }
    }
    const cache = await caches.open(cacheName(manifestUrl, version));
    const missing = known ? (await Promise.all([...files].map(async (file) => ((await cache.match(file)) ? undefined : file)))).filter((file) => file !== undefined) : [...files];
    // Every file of the version first, the manifest last: a version is in the index only once it can start.
    const answers = await Promise.all(missing.map(async (file) => ({ file, response: await fetch(file, { credentials: 'omit' }) })));
    const failed = answers.find(({ response }) => response.status !== 200);
    if (failed) {
      if (!known) await caches.delete(cacheName(manifestUrl, version));
      throw new Error(`${failed.file}: HTTP ${failed.response.status}`);
    }
    await Promise.all(answers.map(({ file, response }) => cache.put(file, response)));
    if (!known) {
      await cache.put(manifestUrl, new Response(text, { headers: { 'content-type': 'application/json; charset=utf-8' } }));
      await this.#update((all) => {
        const current = all[manifestUrl] ?? { id: id ?? manifest.name ?? manifestUrl, versions: [], usedAt: Date.now() };
        all[manifestUrl] = { ...current, versions: [version, ...current.versions.filter((other) => other !== version)] };
      });
      void this.prune();
    }
    return version;
  }

  async #matchAnyVersion(manifestUrl: string, url: string): Promise<Response | undefined> {
    for (const version of (await this.#readIndex())[manifestUrl]?.versions ?? []) {
      const found = await (await caches.open(cacheName(manifestUrl, version))).match(url);
      if (found) return found;
    }
    return undefined;
  }

  /** Pins the page to `version` and saves the pins (a worker started later reads them). */
  async #pin(clientId: string, manifestUrl: string, version: string): Promise<void> {
    if (!clientId) return;
    const all = await this.#readPins();
    if (all.get(clientId)?.get(manifestUrl) === version) return;
    all.set(clientId, (all.get(clientId) ?? new Map<string, string>()).set(manifestUrl, version));
    await this.#savePins();
  }

  #touch(manifestUrl: string): Promise<void> {
    return this.#update((index) => {
      if (index[manifestUrl]) index[manifestUrl].usedAt = Date.now();
    });
  }

  #readIndex(): Promise<MiniAppIndex> {
    this.#index ??= (async () => {
      const saved = await (await caches.open(INDEX_CACHE)).match(INDEX_KEY);
      return saved ? ((await saved.json()) as MiniAppIndex) : {};
    })().catch(() => ({}));
    return this.#index;
  }

  #readPins(): Promise<Pins> {
    this.#pins ??= (async () => {
      const saved = await (await caches.open(INDEX_CACHE)).match(PINS_KEY);
      const pins = saved ? ((await saved.json()) as Record<string, Record<string, string>>) : {};
      return new Map(Object.entries(pins).map(([clientId, versions]) => [clientId, new Map(Object.entries(versions))]));
    })().catch(() => new Map());
    return this.#pins;
  }

  /** Saves the pins as they are when its turn comes, after the writes before it. */
  #savePins(): Promise<void> {
    return this.#write(PINS_KEY, async () => Object.fromEntries([...(await this.#readPins())].map(([clientId, versions]) => [clientId, Object.fromEntries(versions)])));
  }

  /** Changes the index and saves it, one change at a time. */
  #update(change: (index: MiniAppIndex) => void): Promise<void> {
    return this.#write(INDEX_KEY, async () => {
      const index = await this.#readIndex();
      change(index);
      return index;
    });
  }

  /** Writes a JSON document into the index cache, one write at a time (the index and the pins share the queue). */
  #write(key: string, document: () => Promise<unknown>): Promise<void> {
    const write = this.#writes.then(async () => {
      const body = JSON.stringify(await document());
      await (await caches.open(INDEX_CACHE)).put(key, new Response(body, { headers: { 'content-type': 'application/json' } }));
    });
    this.#writes = write.catch(() => undefined);
    return write;
  }
}
