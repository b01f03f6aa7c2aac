import { createHash } from 'node:crypto';
import { DEMO_PRODUCTS, DEMO_USERS, demoId, type Logger } from '@mega/subgraph-kit';
import type { MediaServices } from './context.js';
import { assetFileKey } from './files/file-storage.js';
import { demoImage, type DemoPattern } from './images/demo-images.js';
import { encodePng, PNG_MIME_TYPE, scaleDown } from './images/png.js';
import type { NewMediaAsset } from './store/media-asset.store.js';

/** Longer side of generated thumbnails, in pixels. */
export const THUMBNAIL_SIZE = 32;

interface DemoAsset {
  id: string;
  ownerId: string;
  title: string;
  visibility: NewMediaAsset['visibility'];
  hue: number;
  pattern: DemoPattern;
}

function hueOf(name: string): number {
  return createHash('sha256').update(name).digest().readUInt16BE(0) % 360;
}

/** The demo media: one image per product (owned by the shop), one avatar per user, two private photos of Alice. */
export function demoAssets(): DemoAsset[] {
  const products = DEMO_PRODUCTS.map((product) => ({
    id: demoId(`media:product-image:${product.slug}`),
    ownerId: DEMO_USERS.shop.id,
    title: product.title,
    visibility: 'PUBLIC' as const,
    hue: product.hue,
    pattern: 'diagonal' as const,
  }));
  const avatars = Object.values(DEMO_USERS).map((user) => ({
    id: demoId(`media:avatar:${user.handle}`),
    ownerId: user.id,
    title: `${user.displayName} avatar`,
    visibility: 'PUBLIC' as const,
    hue: hueOf(user.handle),
    pattern: 'rings' as const,
  }));
  const privatePhotos = [1, 2].map((n) => ({
    id: demoId(`media:private:alice-${n}`),
    ownerId: DEMO_USERS.alice.id,
    title: `Private photo ${n}`,
    visibility: 'PRIVATE' as const,
    hue: hueOf(`alice-${n}`),
    pattern: 'checks' as const,
  }));
  return [...products, ...avatars, ...privatePhotos];
}

/** Generates the demo images (PNG plus a PNG thumbnail each) and their rows when there are no assets yet. */
export async function seedMedia(services: MediaServices, logger: Logger): Promise<void> {
  if ((await services.assets.count()) > 0) return;
  const rows: NewMediaAsset[] = [];
  for (const asset of demoAssets()) {
    const image = demoImage(asset.hue, asset.pattern);
    const original = encodePng(image);
    const storageKey = assetFileKey(asset.id, 'original', 'png');
    const thumbnailKey = assetFileKey(asset.id, 'thumbnail', 'png');
    await services.files.put(storageKey, original, PNG_MIME_TYPE);
    await services.files.put(thumbnailKey, encodePng(scaleDown(image, THUMBNAIL_SIZE)), PNG_MIME_TYPE);
    rows.push({
      id: asset.id,
      ownerId: asset.ownerId,
      kind: 'IMAGE',
      title: asset.title,
      mimeType: PNG_MIME_TYPE,
      byteSize: original.length,
      width: image.width,
      height: image.height,
      visibility: asset.visibility,
      storageKey,
      thumbnailKey,
      status: 'READY',
    });
  }
  await services.assets.insertMany(rows);
  logger.info({ assets: rows.length }, 'seeded demo media');
}
