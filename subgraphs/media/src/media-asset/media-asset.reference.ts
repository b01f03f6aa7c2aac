import type { MediaContext } from '../context.js';
import { canView, toMediaAsset } from './media-asset.mapper.js';
import type { MediaAsset } from './media-asset.type.js';

/**
 * Resolves `MediaAsset` representations from other subgraphs (message attachments, product
 * images), batched into one query per request; null where the viewer may not see the asset.
 */
export async function resolveMediaAssetReference(reference: { id: string }, context: MediaContext): Promise<MediaAsset | null> {
  const row = await context.assetById.load(reference.id);
  return row && canView(row, context.identity.userId) ? toMediaAsset(row) : null;
}
