import { and, desc, eq, getTableColumns, inArray, lte, or, sql } from 'drizzle-orm';
import { isUuid, type Database } from '@mega/subgraph-kit';
import type { MediaAssetRow, PageQuery } from './media-asset.store.js';
import { albumItems, albums, mediaAssets, type MediaTables } from './tables.js';

export type AlbumRow = typeof albums.$inferSelect;

/** Where a page of albums starts: after the album with this creation time (ms) and id, newest first. */
export type AlbumKey = readonly [createdAtMs: number, id: string];
/** Where a page of an album's assets starts: after this position and asset id, in album order. */
export type AlbumItemKey = readonly [position: number, assetId: string];

/** An asset as it appears in an album. */
export interface AlbumAssetRow {
  albumId: string;
  position: number;
  asset: MediaAssetRow;
}

type Executor = Pick<Database<MediaTables>, 'insert'>;

/** Albums: a user's named, ordered collections of assets. */
export class AlbumStore {
  constructor(private readonly db: Database<MediaTables>) {}

  /** @param executor a transaction to create the album in (retried mutations) */
  async create(input: { ownerId: string; title: string }, executor: Executor = this.db): Promise<AlbumRow> {
    const [row] = await executor.insert(albums).values(input).returning();
    return row!;
  }

  /** One query for any number of ids; rows in the order of `ids`, undefined where missing or malformed. */
  async byIds(ids: readonly string[]): Promise<(AlbumRow | undefined)[]> {
    const valid = [...new Set(ids.filter(isUuid))];
    const rows = valid.length ? await this.db.select().from(albums).where(inArray(albums.id, valid)) : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id));
  }

  /** The owner's albums, newest first, up to `page.limit`. */
  async pageByOwner(ownerId: string, page: PageQuery<AlbumKey>): Promise<AlbumRow[]> {
    const after = page.after
      ? sql`(${albums.createdAt}, ${albums.id}) < (${new Date(page.after[0]).toISOString()}::timestamptz, ${page.after[1]}::uuid)`
      : undefined;
    return this.db
      .select()
      .from(albums)
      .where(and(eq(albums.ownerId, ownerId), after))
      .orderBy(desc(albums.createdAt), desc(albums.id))
      .limit(page.limit);
  }

  /** Appends an asset to an album; adding it again changes nothing. */
  async addItem(albumId: string, assetId: string): Promise<void> {
    await this.db
      .insert(albumItems)
      .select(
        this.db
          .select({
            albumId: sql<string>`${albumId}::uuid`.as('album_id'),
            assetId: sql<string>`${assetId}::uuid`.as('asset_id'),
            position: sql<number>`coalesce(max(${albumItems.position}), 0) + 1`.as('position'),
          })
          .from(albumItems)
          .where(eq(albumItems.albumId, albumId)),
      )
      .onConflictDoNothing();
  }

  /**
   * One page of each album's assets that `viewerId` may see (their own, and other people's
   * non-PRIVATE, READY ones), in album order. One query for any number of albums.
   */
  async assetPages(albumIds: readonly string[], viewerId: string, page: PageQuery<AlbumItemKey>): Promise<Map<string, AlbumAssetRow[]>> {
    const ids = [...new Set(albumIds.filter(isUuid))];
    const pages = new Map<string, AlbumAssetRow[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return pages;
    const visible = or(
      eq(mediaAssets.ownerId, viewerId),
      and(inArray(mediaAssets.visibility, ['PUBLIC', 'UNLISTED']), eq(mediaAssets.status, 'READY')),
    );
    const after = page.after ? sql`(${albumItems.position}, ${albumItems.assetId}) > (${page.after[0]}::int, ${page.after[1]}::uuid)` : undefined;
    const ranked = this.db
      .select({
        ...getTableColumns(mediaAssets),
        albumId: albumItems.albumId,
        position: albumItems.position,
        rank: sql<number>`row_number() over (partition by ${albumItems.albumId} order by ${albumItems.position}, ${albumItems.assetId})`.as('rank'),
      })
      .from(albumItems)
      .innerJoin(mediaAssets, eq(mediaAssets.id, albumItems.assetId))
      .where(and(inArray(albumItems.albumId, ids), visible, after))
      .as('ranked');
    const rows = await this.db.select().from(ranked).where(lte(ranked.rank, page.limit)).orderBy(ranked.albumId, ranked.position, ranked.id);
    for (const { rank: _rank, albumId, position, ...asset } of rows) pages.get(albumId)?.push({ albumId, position, asset });
    return pages;
  }
}
