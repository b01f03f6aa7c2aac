import { pageSize, toConnection, type Connection } from '@mega/subgraph-kit';
import type { MediaContext } from '../context.js';
import { decodeNumberIdCursor } from '../cursors.js';
import { toMediaAsset } from './media-asset.mapper.js';
import type { MediaAsset } from './media-asset.type.js';

/** A page of `ownerId`'s assets as the viewer may list them (see MediaAssetStore.pagesByOwners), batched across owners. */
export async function mediaConnection(
  context: MediaContext,
  ownerId: string,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<Connection<MediaAsset>> {
  const size = pageSize(first);
  const rows = await context.mediaPage({ limit: size + 1, after: decodeNumberIdCursor(after) }).load(ownerId);
  return toConnection(rows.map(toMediaAsset), size, (asset) => [asset.createdAt.getTime(), asset.id], after != null);
}
