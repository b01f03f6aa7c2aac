import { and, count, desc, eq, getTableColumns, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { conflict, isUuid, quotaExceeded, runOnce, type Database } from '@mega/subgraph-kit';
import { clientMutations, mediaAssets, type MediaTables } from './tables.js';

export type MediaAssetRow = typeof mediaAssets.$inferSelect;
export type NewMediaAsset = typeof mediaAssets.$inferInsert;

/** Where a page of assets starts: after the asset with this creation time (ms) and id, newest first. */
export type AssetKey = readonly [createdAtMs: number, id: string];

/** Asks for up to `limit` rows after `after` (exclusive). */
export interface PageQuery<K> {
  limit: number;
  after?: K | undefined;
}

/** Rows strictly after `after` in newest-first order. */
function afterAsset(after: AssetKey | undefined): SQL | undefined {
  if (!after) return undefined;
  const [createdAtMs, id] = after;
  return sql`(${mediaAssets.createdAt}, ${mediaAssets.id}) < (${new Date(createdAtMs).toISOString()}::timestamptz, ${id}::uuid)`;
}

/** A PENDING asset as `createUpload` makes it; its file is stored under `storageKey` once the upload finishes. */
export interface NewPendingAsset {
  id: string;
  ownerId: string;
  kind: MediaAssetRow['kind'];
  title: string;
  mimeType: string;
  byteSize: number;
  storageKey: string;
}

/** What an upload found out about its file, written when the asset becomes READY. */
export interface FileFacts {
  width: number | null;
  height: number | null;
}

export interface MediaAssetStoreOptions {
  /** Told of every asset that became READY, once committed (publishes `mediaAssetReady`). */
  onReady?: (row: MediaAssetRow) => void;
}

/** Media assets and their metadata; the files themselves are in the FileStorage. */
export class MediaAssetStore {
  constructor(
    private readonly db: Database<MediaTables>,
    private readonly options: MediaAssetStoreOptions = {},
  ) {}

  /** One query for any number of ids; rows come back in the order of `ids`, undefined where missing or malformed. */
  async byIds(ids: readonly string[]): Promise<(MediaAssetRow | undefined)[]> {
    const valid = [...new Set(ids.filter(isUuid))];
    const rows = valid.length ? await this.db.select().from(mediaAssets).where(inArray(mediaAssets.id, valid)) : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id));
  }

  /**
   * One page of each owner's assets as `viewerId` may list them: all of an owner's own assets,
   * only PUBLIC, READY ones of anybody else. One query for any number of owners.
   * @returns rows per owner, newest first, up to `page.limit` each
   */
  async pagesByOwners(ownerIds: readonly string[], viewerId: string | null, page: PageQuery<AssetKey>): Promise<Map<string, MediaAssetRow[]>> {
    const owners = [...new Set(ownerIds.filter(isUuid))];
    const pages = new Map<string, MediaAssetRow[]>(owners.map((id) => [id, []]));
    if (owners.length === 0) return pages;
    const listable = and(eq(mediaAssets.visibility, 'PUBLIC'), eq(mediaAssets.status, 'READY'));
    const ranked = this.db
      .select({
        ...getTableColumns(mediaAssets),
        rank: sql<number>`row_number() over (partition by ${mediaAssets.ownerId} order by ${mediaAssets.createdAt} desc, ${mediaAssets.id} desc)`.as('rank'),
      })
      .from(mediaAssets)
      .where(and(inArray(mediaAssets.ownerId, owners), viewerId && isUuid(viewerId) ? or(eq(mediaAssets.ownerId, viewerId), listable) : listable, afterAsset(page.after)))
      .as('ranked');
    const rows = await this.db
      .select()
      .from(ranked)
      .where(lte(ranked.rank, page.limit))
      .orderBy(ranked.ownerId, desc(ranked.createdAt), desc(ranked.id));
    for (const { rank: _rank, ...row } of rows) pages.get(row.ownerId)?.push(row);
    return pages;
  }

  async insertMany(rows: NewMediaAsset[]): Promise<void> {
    if (rows.length) await this.db.insert(mediaAssets).values(rows);
  }

  /**
   * Changes an asset of `ownerId` and bumps its version.
   * @param expectedVersion the version the change was made on; null: whatever the current one is
   * @returns the new row, or undefined when `ownerId` owns no asset `id`
   * @throws CONFLICT with `extensions.currentVersion` and `extensions.current` (title, visibility) when `expectedVersion` is stale
   */
  async update(id: string, ownerId: string, patch: { title?: string; visibility?: MediaAssetRow['visibility'] }, expectedVersion: number | null = null): Promise<MediaAssetRow | undefined> {
    if (!isUuid(id)) return undefined;
    const owned = and(eq(mediaAssets.id, id), eq(mediaAssets.ownerId, ownerId));
    const [row] = await this.db
      .update(mediaAssets)
      .set({ ...patch, version: sql`${mediaAssets.version} + 1` })
      .where(expectedVersion === null ? owned : and(owned, eq(mediaAssets.version, expectedVersion)))
      .returning();
    if (!row && expectedVersion !== null) {
      const [current] = await this.db.select().from(mediaAssets).where(owned);
      if (current) {
        throw conflict(`The media changed: it is at version ${current.version}, not ${expectedVersion}.`, {
          argument: 'expectedVersion',
          currentVersion: current.version,
          current: { title: current.title, visibility: current.visibility },
        });
      }
    }
    return row;
  }

  /** Deletes an asset of `ownerId` (and its album entries). @returns the deleted row, or undefined when `ownerId` owns no asset `id` */
  async delete(id: string, ownerId: string): Promise<MediaAssetRow | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await this.db
      .delete(mediaAssets)
      .where(and(eq(mediaAssets.id, id), eq(mediaAssets.ownerId, ownerId)))
      .returning();
    return row;
  }

  /**
   * Creates a PENDING asset for an upload, at most once per (owner, clientMutationId), when the
   * owner's assets (READY and PENDING) leave room for its `byteSize` under `quotaBytes`. One
   * owner's calls take turns on a transaction-scoped advisory lock, so concurrent uploads cannot
   * overrun the quota together.
   * @returns the asset's id; for a retry, the id of the first call's asset
   * @throws QUOTA_EXCEEDED when the asset does not fit (nothing is stored, a retry checks again)
   */
  async createPending(asset: NewPendingAsset, options: { quotaBytes: number; clientMutationId?: string | null | undefined }): Promise<string> {
    const result = await runOnce(
      this.db,
      clientMutations,
      { userId: asset.ownerId, clientMutationId: options.clientMutationId, operation: 'createUpload' },
      async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`media.quota:${asset.ownerId}`}, 0))`);
        const usedBytes = await this.bytesUsedBy(asset.ownerId, tx);
        if (usedBytes + asset.byteSize > options.quotaBytes) {
          throw quotaExceeded(`This upload of ${asset.byteSize} bytes does not fit: ${usedBytes} of your ${options.quotaBytes} bytes are in use.`, {
            quotaBytes: options.quotaBytes,
            usedBytes,
          });
        }
        await tx.insert(mediaAssets).values({ ...asset, status: 'PENDING' });
        return { assetId: asset.id };
      },
    );
    return result.assetId;
  }

  /** Bytes of all of the owner's assets, READY and PENDING: what counts against the upload quota. */
  async bytesUsedBy(ownerId: string, executor: Pick<Database<MediaTables>, 'select'> = this.db): Promise<number> {
    const [used] = await executor
      .select({ bytes: sql`coalesce(sum(${mediaAssets.byteSize}), 0)`.mapWith(Number) })
      .from(mediaAssets)
      .where(eq(mediaAssets.ownerId, ownerId));
    return used?.bytes ?? 0;
  }

  /**
   * Deletes an asset that is still PENDING (a refused or abandoned upload).
   * @returns the deleted row, or undefined when there is no such PENDING asset
   */
  async deletePending(id: string): Promise<MediaAssetRow | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await this.db
      .delete(mediaAssets)
      .where(and(eq(mediaAssets.id, id), eq(mediaAssets.status, 'PENDING')))
      .returning();
    return row;
  }

  /**
   * Deletes the PENDING assets created before `createdBefore` (uploads whose URL has expired).
   * @returns the deleted rows
   */
  async deletePendingCreatedBefore(createdBefore: Date): Promise<MediaAssetRow[]> {
    return this.db
      .delete(mediaAssets)
      .where(and(eq(mediaAssets.status, 'PENDING'), lt(mediaAssets.createdAt, createdBefore)))
      .returning();
  }

  /**
   * The one place a PENDING asset becomes READY (its file is stored: uploads call it), with what
   * was learnt from the file; announces it after the commit.
   * @returns the READY row, or undefined when there is no such PENDING asset
   */
  async markReady(id: string, facts?: FileFacts): Promise<MediaAssetRow | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await this.db
      .update(mediaAssets)
      .set({ ...facts, status: 'READY', version: sql`${mediaAssets.version} + 1` })
      .where(and(eq(mediaAssets.id, id), eq(mediaAssets.status, 'PENDING')))
      .returning();
    if (row) this.options.onReady?.(row);
    return row;
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(mediaAssets);
    return row?.n ?? 0;
  }
}
