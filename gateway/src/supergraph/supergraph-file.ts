import { watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** How long to wait after the last change event before reading the file. @default 100 ms */
export const DEFAULT_WATCH_DEBOUNCE_MS = 100;

/** Reads a supergraph file. */
export function readSupergraphFile(file: string): Promise<string> {
  return readFile(file, 'utf8');
}

export interface WatchSupergraphFileOptions {
  /** @default DEFAULT_WATCH_DEBOUNCE_MS */
  debounceMs?: number;
  /** Called with the file's contents after it changed (debounced; also on a write of equal contents). */
  onChange(sdl: string): void;
  /** Called when the changed file cannot be read (for example while it is being replaced). */
  onError(error: unknown): void;
}

/**
 * Watches a supergraph file for changes. The directory is watched rather than the file, so that
 * editors and `pnpm compose` that replace the file (a new inode) are seen too.
 * @returns a function that stops watching
 */
export function watchSupergraphFile(file: string, options: WatchSupergraphFileOptions): () => void {
  const name = path.basename(file);
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(path.dirname(file), (_event, changed) => {
    if (changed && changed !== name) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      readSupergraphFile(file).then(options.onChange, options.onError);
    }, options.debounceMs ?? DEFAULT_WATCH_DEBOUNCE_MS);
  });
  watcher.on('error', options.onError);
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
