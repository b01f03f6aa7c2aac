import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '../logger.js';
import { readSupergraphFile, watchSupergraphFile } from './supergraph-file.js';
import { fetchSupergraph, pollSupergraphUrl } from './supergraph-url.js';

export interface SupergraphSourceOptions {
  /** An absolute or relative file path, or an http(s) URL. */
  location: string;
  /** How often a URL is downloaded again. */
  pollIntervalMs: number;
  /** Debounce of file change events. @default DEFAULT_WATCH_DEBOUNCE_MS */
  watchDebounceMs?: number;
  logger: Logger;
}

/** True for http(s) URLs; anything else is a file path. */
export function isSupergraphUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** Reads the supergraph once, from a file or a URL. */
export function loadSupergraph(location: string): Promise<string> {
  return isSupergraphUrl(location) ? fetchSupergraph(location) : readSupergraphFile(location);
}

/**
 * The supergraph for `@apollo/gateway` (its `supergraphSdl` function form): read at start-up,
 * then reloaded when the file changes (fs.watch, debounced) or, for a URL, polled. A new supergraph
 * replaces the old one without dropping requests in flight (they finish on the plan they started
 * with); one that is invalid is logged and ignored, and the old one keeps serving.
 */
export function createSupergraphSource(options: SupergraphSourceOptions): SupergraphSdlHook {
  const { location, logger } = options;
  return async ({ update }) => {
    let current = await loadSupergraph(location);
    let rejected: string | undefined;
    const apply = (sdl: string) => {
      if (sdl === current || sdl === rejected) return;
      if (!sdl.trim()) {
        logger.debug({ location }, 'ignored an empty supergraph (being written?)');
        return;
      }
      try {
        update(sdl);
        current = sdl;
        logger.info({ location }, 'supergraph reloaded');
      } catch (error) {
        rejected = sdl;
        logger.error({ location, err: error }, 'ignored an invalid supergraph; the previous one keeps serving');
      }
    };
    const onError = (error: unknown) => logger.warn({ location, err: error }, 'cannot read the supergraph; the previous one keeps serving');
    const stop = isSupergraphUrl(location)
      ? pollSupergraphUrl(location, { intervalMs: options.pollIntervalMs, onChange: apply, onError })
      : watchSupergraphFile(location, { debounceMs: options.watchDebounceMs, onChange: apply, onError });
    logger.debug({ location }, 'supergraph read');
    return { supergraphSdl: current, cleanup: async () => stop() };
  };
}
