import { ErrorCode } from '@mega/subgraph-kit';
import type { MediaServices } from '../context.js';
import type { MediaAssetRow } from '../store/media-asset.store.js';
import { checkContent } from './content-check.js';

/** How finishing an upload ended: a READY asset, or a refusal to send to the uploader. */
export type FinishOutcome =
  | { ok: true; asset: MediaAssetRow }
  | { ok: false; status: number; code: string; message: string; extensions: Record<string, unknown> };

const ASSET_GONE: FinishOutcome = {
  ok: false,
  status: 404,
  code: ErrorCode.NOT_FOUND,
  message: 'The asset of this upload was deleted.',
  extensions: {},
};

/**
 * Turns complete uploads into READY assets: checks the bytes by their magic numbers against the
 * declared type, reads an image's width and height, stores the file through the FileStorage,
 * marks the asset READY (`MediaAssetStore.markReady`, which announces `mediaAssetReady`) and
 * discards the partial upload. Content that is not what was declared deletes the PENDING asset
 * and its bytes (a refused upload leaves nothing behind and takes no quota) and ends as 415
 * UNSUPPORTED_MEDIA_TYPE. Finishing one asset twice at once runs once; finishing it again later
 * (after a failure) starts over from the complete upload.
 */
export class UploadFinisher {
  private readonly running = new Map<string, Promise<FinishOutcome>>();

  constructor(private readonly services: Pick<MediaServices, 'assets' | 'files' | 'uploads' | 'logger'>) {}

  /** Finishes the complete upload of a PENDING asset. @throws for storage and database failures (the upload stays, a retry finishes it) */
  finish(assetId: string): Promise<FinishOutcome> {
    let run = this.running.get(assetId);
    if (!run) {
      run = this.run(assetId).finally(() => this.running.delete(assetId));
      this.running.set(assetId, run);
    }
    return run;
  }

  private async run(assetId: string): Promise<FinishOutcome> {
    const { assets, files, uploads, logger } = this.services;
    const [asset] = await assets.byIds([assetId]);
    if (asset?.status !== 'PENDING') {
      await uploads.discard(assetId);
      return asset ? { ok: true, asset } : ASSET_GONE;
    }
    const bytes = await uploads.read(assetId);
    if (bytes.length !== asset.byteSize) throw new Error(`Upload ${assetId} holds ${bytes.length} bytes, not the declared ${asset.byteSize}.`);
    const check = await checkContent(bytes, asset.mimeType);
    if (!check.ok) {
      await assets.deletePending(assetId);
      await uploads.discard(assetId);
      logger.info({ assetId, declared: asset.mimeType, detected: check.detected }, 'refused an upload whose content is not its declared type');
      return {
        ok: false,
        status: 415,
        code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        message: `${check.message} The upload and its asset were deleted.`,
        extensions: { declared: asset.mimeType, detected: check.detected },
      };
    }
    await files.put(asset.storageKey, bytes, asset.mimeType);
    const ready = await assets.markReady(assetId, { width: check.width, height: check.height });
    await uploads.discard(assetId);
    if (ready) return { ok: true, asset: ready };
    const [now] = await assets.byIds([assetId]);
    if (now) return { ok: true, asset: now }; // another instance finished it first, with the same bytes
    // Deleted while its file was being stored: nobody can reach that file any more.
    await files.delete(asset.storageKey);
    return ASSET_GONE;
  }
}
