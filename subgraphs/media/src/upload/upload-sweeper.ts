import type { Logger } from '@mega/subgraph-kit';
import type { MediaServices } from '../context.js';

/** Pause between two sweeps of expired uploads. @default 10 minutes */
export const UPLOAD_SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** What one sweep removed. */
export interface SweepResult {
  /** PENDING assets whose upload URL had expired. */
  expiredAssets: number;
  /** Partial uploads kept here whose asset is no longer PENDING (deleted, swept by another instance, READY). */
  partialUploads: number;
}

/**
 * Removes what abandoned uploads leave behind: PENDING assets whose upload URL has expired (so
 * they stop counting against their owner's quota), then the partial uploads in this instance's
 * folder that no PENDING asset needs any more. Safe to run in every instance at once.
 */
export async function sweepUploads(services: Pick<MediaServices, 'assets' | 'uploads' | 'uploadLinks'>, now = new Date()): Promise<SweepResult> {
  const createdBefore = new Date(now.getTime() - services.uploadLinks.ttlSeconds * 1000);
  const expired = await services.assets.deletePendingCreatedBefore(createdBefore);
  const ids = await services.uploads.ids();
  const assets = await services.assets.byIds(ids);
  const orphans = ids.filter((_id, index) => assets[index]?.status !== 'PENDING');
  for (const id of orphans) await services.uploads.discard(id);
  return { expiredAssets: expired.length, partialUploads: orphans.length };
}

/**
 * Sweeps every `intervalMs` until stopped; a failed sweep is logged and the next one tries again.
 * @returns stop: cancels the pending timer and resolves once a sweep in progress has finished
 */
export function startUploadSweeper(sweep: () => Promise<SweepResult>, options: { intervalMs: number; logger: Logger }): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      sweeping = sweep()
        .then((result) => {
          if (result.expiredAssets || result.partialUploads) options.logger.info(result, 'swept abandoned uploads');
        })
        .catch((error: unknown) => options.logger.error({ err: error }, 'upload sweep failed'))
        .finally(() => {
          sweeping = undefined;
          schedule();
        });
    }, options.intervalMs);
    // Never the reason a process stays alive; stop() is still what ends the loop.
    timer.unref();
  };
  schedule();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await sweeping;
  };
}
