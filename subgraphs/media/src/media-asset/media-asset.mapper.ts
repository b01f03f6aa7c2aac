import type { MediaAssetRow } from '../store/media-asset.store.js';
import { MediaKind, Visibility, type MediaAsset } from './media-asset.type.js';

/** The GraphQL view of an asset row. Check {@link canView} before handing it out. */
export function toMediaAsset(row: MediaAssetRow): MediaAsset {
  return {
    id: row.id,
    kind: MediaKind[row.kind],
    title: row.title,
    mimeType: row.mimeType,
    byteSize: row.byteSize,
    width: row.width,
    height: row.height,
    durationMs: row.durationMs,
    visibility: Visibility[row.visibility],
    createdAt: row.createdAt,
    version: row.version,
    ownerId: row.ownerId,
    ready: row.status === 'READY',
    hasThumbnail: row.thumbnailKey !== null,
  };
}

/**
 * Whether `viewerId` may see an asset read by id (root field, reference, album): its owner always;
 * anyone else only a READY asset that is not PRIVATE.
 */
export function canView(row: MediaAssetRow, viewerId: string | null): boolean {
  return row.ownerId === viewerId || (row.visibility !== 'PRIVATE' && row.status === 'READY');
}
