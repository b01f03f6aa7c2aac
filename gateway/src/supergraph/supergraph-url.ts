/** How long one supergraph download may take. @default 10000 ms */
export const SUPERGRAPH_FETCH_TIMEOUT_MS = 10_000;

/** Downloads a supergraph. @throws when the server does not answer 200 with a body */
export async function fetchSupergraph(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(SUPERGRAPH_FETCH_TIMEOUT_MS), headers: { accept: 'text/plain, */*' } });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  const sdl = await response.text();
  if (!sdl.trim()) throw new Error(`GET ${url} answered an empty body`);
  return sdl;
}

export interface PollSupergraphUrlOptions {
  intervalMs: number;
  /** Called with each downloaded supergraph (whether or not it changed). */
  onChange(sdl: string): void;
  onError(error: unknown): void;
}

/**
 * Downloads the supergraph at `url` every `intervalMs`, one download at a time.
 * @returns a function that stops polling
 */
export function pollSupergraphUrl(url: string, options: PollSupergraphUrlOptions): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      fetchSupergraph(url)
        .then((sdl) => {
          if (!stopped) options.onChange(sdl);
        }, options.onError)
        .finally(() => {
          if (!stopped) schedule();
        });
    }, options.intervalMs);
    timer.unref();
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
