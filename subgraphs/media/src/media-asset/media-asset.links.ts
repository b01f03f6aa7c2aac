import type { MediaContext } from '../context.js';
import type { FileVariant } from '../files/file-links.js';
import { Visibility, type MediaAsset } from './media-asset.type.js';

/**
 * The link to one of an asset's files for the viewer: null until the file exists; plain for
 * PUBLIC and UNLISTED assets; signed and expiring for PRIVATE ones, and only for their owner.
 */
export function fileUrl(asset: MediaAsset, variant: FileVariant, context: MediaContext): string | null {
  if (!asset.ready || (variant === 'thumbnail' && !asset.hasThumbnail)) return null;
  if (asset.visibility !== Visibility.PRIVATE) return context.links.publicUrl(asset.id, variant);
  return asset.ownerId === context.identity.userId ? context.links.signedUrl(asset.id, variant) : null;
}
