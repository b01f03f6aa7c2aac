import { fileURLToPath } from 'node:url';
import { launchSubgraph, type SubgraphDefinition, type SubgraphStartOptions } from '@mega/subgraph-kit';
import { createContext, type MediaContext, type MediaServices } from './context.js';
import { createMediaEvents } from './events.js';
import { FileLinks } from './files/file-links.js';
import { fileRoute } from './files/file.route.js';
import { MemoryFileStorage, type FileStorage } from './files/file-storage.js';
import { LocalDiskFileStorage } from './files/local-disk.storage.js';
import { buildSchema } from './schema.js';
import { seedMedia } from './seed.js';
import { AlbumStore } from './store/album.store.js';
import { MediaAssetStore } from './store/media-asset.store.js';
import { tables, type MediaTables } from './store/tables.js';

/** What the media subgraph needs besides the common start options. */
export interface MediaStartOptions extends SubgraphStartOptions {
  /** Directory the files are kept in. @default none: files are kept in memory (tests) */
  filesDir?: string | undefined;
  /**
   * Where clients reach this subgraph's `/files/...`, used in `url` and `thumbnailUrl`.
   * @default `http://<host>:<port>` of the started server
   */
  publicBaseUrl?: string | undefined;
}

/** The media subgraph over a file storage and the maker of file links. */
export function mediaSubgraph(files: FileStorage, links: FileLinks): SubgraphDefinition<MediaTables, MediaServices, MediaContext> {
  return {
    service: 'media',
    tables,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    schema: (services) => buildSchema(services.events),
    services: async (db, logger, options) => {
      const events = await createMediaEvents(options.redisUrl);
      const assets = new MediaAssetStore(db, { onReady: (row) => events.publish('mediaAssetReady', row.id, { id: row.id, ownerId: row.ownerId }) });
      return { db, assets, albums: new AlbumStore(db), files, links, logger, events };
    },
    dispose: (services) => services.events.close(),
    context: createContext,
    seed: seedMedia,
    routes: fileRoute,
  };
}

/** Starts the media subgraph; the handle's `stop()` drains and closes everything. */
export async function startMedia(options: MediaStartOptions) {
  const links = new FileLinks(options.gatewaySecret, options.publicBaseUrl);
  const files = options.filesDir ? new LocalDiskFileStorage(options.filesDir) : new MemoryFileStorage();
  const running = await launchSubgraph(mediaSubgraph(files, links), options);
  if (!options.publicBaseUrl) links.setBaseUrl(new URL(running.url).origin);
  return running;
}
