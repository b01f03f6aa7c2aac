import DataLoader from 'dataloader';
import type { BaseContext, Database, Identity, Logger } from '@mega/subgraph-kit';
import type { MediaEventBus } from './events.js';
import type { FileLinks } from './files/file-links.js';
import type { FileStorage } from './files/file-storage.js';
import type { AlbumAssetRow, AlbumItemKey, AlbumRow, AlbumStore } from './store/album.store.js';
import type { AssetKey, MediaAssetRow, MediaAssetStore } from './store/media-asset.store.js';
import type { MediaTables } from './store/tables.js';
import type { PartialUploads } from './upload/partial-uploads.js';
import type { UploadLimits } from './upload/upload-limits.js';
import type { UploadLinks } from './upload/upload-links.js';

/** Long-lived parts shared by all requests. */
export interface MediaServices {
  db: Database<MediaTables>;
  assets: MediaAssetStore;
  albums: AlbumStore;
  files: FileStorage;
  links: FileLinks;
  /** Uploads in progress (tus). */
  uploads: PartialUploads;
  uploadLinks: UploadLinks;
  uploadLimits: UploadLimits;
  /** Browser origins whose pages may use the upload and file routes (CORS). */
  corsOrigins: ReadonlySet<string>;
  logger: Logger;
  /** Asset events, shared by every media instance when Redis is configured. */
  events: MediaEventBus;
}

/** A page request as the loaders batch it: `limit` rows (page size + 1) after `after`. */
export interface PageArgs<K> {
  limit: number;
  after: K | undefined;
}

export interface MediaContext extends BaseContext, MediaServices {
  /** Batches asset look-ups by id (entity references, `mediaAsset(id)`); no visibility check. */
  assetById: DataLoader<string, MediaAssetRow | undefined>;
  /** Batches album look-ups by id; no ownership check. */
  albumById: DataLoader<string, AlbumRow | undefined>;
  /** Batches `User.media` pages for the same page arguments across users: one query per distinct arguments. */
  mediaPage(page: PageArgs<AssetKey>): DataLoader<string, MediaAssetRow[]>;
  /** Batches `Album.assets` pages for the same page arguments across albums. */
  albumAssetsPage(page: PageArgs<AlbumItemKey>): DataLoader<string, AlbumAssetRow[]>;
}

/** One DataLoader per distinct page arguments, made on first use. */
function loaderPerPage<K, V>(load: (keys: readonly string[], page: PageArgs<K>) => Promise<Map<string, V[]>>) {
  const loaders = new Map<string, DataLoader<string, V[]>>();
  return (page: PageArgs<K>) => {
    const id = JSON.stringify([page.limit, page.after ?? null]);
    let loader = loaders.get(id);
    if (!loader) {
      loader = new DataLoader(async (keys: readonly string[]) => {
        const pages = await load(keys, page);
        return keys.map((key) => pages.get(key) ?? []);
      });
      loaders.set(id, loader);
    }
    return loader;
  };
}

export function createContext(services: MediaServices, identity: Identity): MediaContext {
  const viewerId = identity.userId;
  return {
    ...services,
    identity,
    assetById: new DataLoader((ids: readonly string[]) => services.assets.byIds(ids)),
    albumById: new DataLoader((ids: readonly string[]) => services.albums.byIds(ids)),
    mediaPage: loaderPerPage((ownerIds, page) => services.assets.pagesByOwners(ownerIds, viewerId, page)),
    albumAssetsPage: loaderPerPage((albumIds, page) =>
      viewerId ? services.albums.assetPages(albumIds, viewerId, page) : Promise.resolve(new Map<string, AlbumAssetRow[]>()),
    ),
  };
}
