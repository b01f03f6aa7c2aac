import { compatibility, parseRegistry, type MiniAppEntry } from '@mega/mini-app-sdk';

/** How long the registry may take to arrive. */
export const REGISTRY_TIMEOUT_MS = 10_000;

export interface LoadedRegistry {
  /** The mini-apps this shell can run. */
  apps: MiniAppEntry[];
  /** The ones it cannot, with what to tell the user. */
  refused: { app: MiniAppEntry; message: string }[];
}

/**
 * Fetches and checks the registry, and sorts the mini-apps by whether this shell's SDK fits them.
 * @throws when it cannot be fetched, or SdkError INVALID_REGISTRY
 */
export async function loadRegistry(url: string): Promise<LoadedRegistry> {
  const response = await fetch(url, { cache: 'no-cache', signal: AbortSignal.timeout(REGISTRY_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`The mini-app registry could not be read (HTTP ${response.status}).`);
  const registry = parseRegistry(await response.json());
  const loaded: LoadedRegistry = { apps: [], refused: [] };
  for (const app of registry.apps) {
    const fit = compatibility(app);
    if (fit.ok) loaded.apps.push(app);
    else loaded.refused.push({ app, message: fit.message });
  }
  return loaded;
}
