import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DEVELOPMENT_CORS_ORIGINS, launchSubgraph, type RouteHandler, type SubgraphDefinition, type SubgraphStartOptions } from '@mega/subgraph-kit';
import { createContext, type MediaContext, type MediaServices } from './context.js';
import { createMediaEvents } from './events.js';
import { FileLinks } from './files/file-links.js';
import { fileRoute } from './files/file.route.js';
import { MemoryFileStorage, type FileStorage } from './files/file-storage.js';
import { LocalDiskFileStorage } from './files/local-disk.storage.js';
import { S3FileStorage, type S3StorageOptions } from './files/s3.storage.js';
import { buildSchema } from './schema.js';
import { seedMedia } from './seed.js';
import { AlbumStore } from './store/album.store.js';
import { MediaAssetStore } from './store/media-asset.store.js';
import { tables, type MediaTables } from './store/tables.js';
import { PartialUploads } from './upload/partial-uploads.js';
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './upload/upload-limits.js';
import { UploadLinks } from './upload/upload-links.js';
import { uploadRoute } from './upload/upload.route.js';
import { startUploadSweeper, sweepUploads, UPLOAD_SWEEP_INTERVAL_MS } from './upload/upload-sweeper.js';

/** The folder under `filesDir` that holds uploads in progress; no storage key can start with a dot. */
export const PARTIAL_UPLOADS_FOLDER = '.uploads';

/** What the media subgraph needs besides the common start options. */
export interface MediaStartOptions extends SubgraphStartOptions {
  /**
   * Directory the files are kept in; uploads in progress go to its `.uploads` folder.
   * @default none: files are kept in memory, uploads in progress in a temporary folder (tests)
   */
  filesDir?: string | undefined;
  /**
   * Where clients reach this subgraph's `/files/...` and `/uploads/...`, used in `url`,
   * `thumbnailUrl` and `uploadUrl`.
   * @default `http://<host>:<port>` of the started server
   */
  publicBaseUrl?: string | undefined;
  /** Limits of `createUpload` and the upload endpoint; omitted ones keep their default. @default DEFAULT_UPLOAD_LIMITS */
  uploadLimits?: Partial<UploadLimits> | undefined;
  /**
   * Browser origins (`scheme://host[:port]`) whose pages may upload and read files (CORS).
   * @default DEFAULT_DEVELOPMENT_CORS_ORIGINS with `development`, else none
   */
  corsOrigins?: readonly string[] | undefined;
  /**
   * Keep the files in this S3-compatible bucket instead of `filesDir` (uploads in progress still
   * go to `filesDir/.uploads`, or a temporary folder).
   * @default undefined: files in `filesDir`, or in memory without one
   */
  s3?: S3StorageOptions | undefined;
}

/** Where the files of a media subgraph started with `options` are kept. */
function fileStorageFor(options: MediaStartOptions): FileStorage {
  if (options.s3) return new S3FileStorage(options.s3);
  return options.filesDir ? new LocalDiskFileStorage(options.filesDir) : new MemoryFileStorage();
}

/** The parts of the media subgraph that a deployment chooses. */
export interface MediaParts {
  files: FileStorage;
  links: FileLinks;
  uploadLinks: UploadLinks;
  uploadLimits: UploadLimits;
  corsOrigins: readonly string[];
  /** Where uploads in progress are kept; undefined: a temporary folder removed at stop. */
  partialUploadsDir: string | undefined;
}

/** The first route that takes the request answers it. */
function firstOf(...routes: RouteHandler[]): RouteHandler {
  return async (req, res, url) => {
    for (const route of routes) if (await route(req, res, url)) return true;
    return false;
  };
}

/** The media subgraph over its parts. */
export function mediaSubgraph(parts: MediaParts): SubgraphDefinition<MediaTables, MediaServices, MediaContext> {
  return {
    service: 'media',
    tables,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    schema: (services) => buildSchema(services.events),
    services: async (db, logger, options) => {
      const events = await createMediaEvents(options.redisUrl);
      const assets = new MediaAssetStore(db, { onReady: (row) => events.publish('mediaAssetReady', row.id, { id: row.id, ownerId: row.ownerId }) });
      const uploads = await PartialUploads.open(parts.partialUploadsDir);
      return {
        db,
        assets,
        albums: new AlbumStore(db),
        files: parts.files,
        links: parts.links,
        uploads,
        uploadLinks: parts.uploadLinks,
        uploadLimits: parts.uploadLimits,
        corsOrigins: new Set(parts.corsOrigins),
        logger,
        events,
      };
    },
    dispose: async (services) => {
      await services.events.close();
      await services.uploads.close();
      services.files.close?.();
    },
    context: createContext,
    seed: seedMedia,
    routes: (services) => firstOf(fileRoute(services), uploadRoute(services)),
    background: (services, logger) => startUploadSweeper(() => sweepUploads(services), { intervalMs: UPLOAD_SWEEP_INTERVAL_MS, logger }),
  };
}

/** Starts the media subgraph; the handle's `stop()` drains and closes everything. */
export async function startMedia(options: MediaStartOptions) {
  const uploadLimits = { ...DEFAULT_UPLOAD_LIMITS, ...options.uploadLimits };
  const links = new FileLinks(options.gatewaySecret, options.publicBaseUrl);
  const uploadLinks = new UploadLinks(options.gatewaySecret, uploadLimits.tokenTtlSeconds, options.publicBaseUrl);
  const running = await launchSubgraph(
    mediaSubgraph({
      files: fileStorageFor(options),
      links,
      uploadLinks,
      uploadLimits,
      corsOrigins: options.corsOrigins ?? (options.development ? DEFAULT_DEVELOPMENT_CORS_ORIGINS : []),
      partialUploadsDir: options.filesDir ? path.join(options.filesDir, PARTIAL_UPLOADS_FOLDER) : undefined,
    }),
    options,
  );
  if (!options.publicBaseUrl) {
    const origin = new URL(running.url).origin;
    links.setBaseUrl(origin);
    uploadLinks.setBaseUrl(origin);
  }
  return running;
}
