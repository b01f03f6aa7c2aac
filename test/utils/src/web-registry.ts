import { parseRegistry, type Registry } from '@mega/mini-app-sdk';
import { registryEntry, type MiniAppPackage } from '@mega/mini-app-kit/mini-app-package';

/** A mini-app and where its build is served. */
export interface ServedMiniApp {
  miniApp: MiniAppPackage['miniApp'];
  /** The absolute URL of its `mf-manifest.json`. */
  manifestUrl: string;
}

/**
 * The registry document the shell reads (docs/mini-apps.md): each mini-app's `miniApp` field from
 * its package.json plus the URL its build is served at, checked with the SDK's `parseRegistry`.
 * @throws SdkError INVALID_REGISTRY naming every problem (a duplicate route, a bad capability, ...)
 */
export function createRegistry(apps: readonly ServedMiniApp[]): Registry {
  return parseRegistry({ version: 1, apps: apps.map(({ miniApp, manifestUrl }) => registryEntry(miniApp, manifestUrl)) });
}
