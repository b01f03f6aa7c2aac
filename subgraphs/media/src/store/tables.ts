import { index, integer, pgSchema, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { clientMutationsTable } from '@mega/subgraph-kit/tables';

export const media = pgSchema('media');

export const mediaKind = media.enum('media_kind', ['IMAGE', 'VIDEO', 'AUDIO']);
export const visibility = media.enum('visibility', ['PUBLIC', 'UNLISTED', 'PRIVATE']);
/** PENDING: created by an upload that has not finished; only READY assets have files. */
export const assetStatus = media.enum('asset_status', ['PENDING', 'READY']);

/** Created-at columns keep milliseconds only, so that a JavaScript Date in a cursor matches the stored value exactly. */
const createdAt = () => timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow();

export const mediaAssets = media.table(
  'media_assets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id').notNull(),
    kind: mediaKind('kind').notNull(),
    title: text('title').notNull(),
    mimeType: text('mime_type').notNull(),
    byteSize: integer('byte_size').notNull(),
    width: integer('width'),
    height: integer('height'),
    durationMs: integer('duration_ms'),
    visibility: visibility('visibility').notNull().default('PRIVATE'),
    /** Key of the original file in the FileStorage; written once, never reused. */
    storageKey: text('storage_key').notNull(),
    /** Key of the PNG thumbnail, when there is one. */
    thumbnailKey: text('thumbnail_key'),
    status: assetStatus('status').notNull().default('READY'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (table) => [index('media_assets_owner_created_idx').on(table.ownerId, table.createdAt.desc(), table.id.desc())],
);

export const albums = media.table(
  'albums',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id').notNull(),
    title: text('title').notNull(),
    createdAt: createdAt(),
  },
  (table) => [index('albums_owner_created_idx').on(table.ownerId, table.createdAt.desc(), table.id.desc())],
);

export const albumItems = media.table(
  'album_items',
  {
    albumId: uuid('album_id')
      .notNull()
      .references(() => albums.id, { onDelete: 'cascade' }),
    assetId: uuid('asset_id')
      .notNull()
      .references(() => mediaAssets.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
  },
  (table) => [primaryKey({ columns: [table.albumId, table.assetId] }), index('album_items_asset_idx').on(table.assetId)],
);

export const clientMutations = clientMutationsTable(media);

export const tables = { mediaAssets, albums, albumItems, clientMutations };
export type MediaTables = typeof tables;
