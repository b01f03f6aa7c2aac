import type { MiniAppEntry } from '@mega/mini-app-sdk';

/** The `miniApp` field of a mini-app's package.json: its registry entry less `manifestUrl`. */
export type MiniAppPackageField = Omit<MiniAppEntry, 'manifestUrl' | 'handles'> & { handles?: MiniAppEntry['handles'] };

export interface MiniAppPackage {
  /** The package folder. */
  dir: string;
  /** The npm name, e.g. `@mega/chat`. */
  packageName: string;
  /** As written in package.json; checked when a registry is made of it (`parseRegistry`). */
  miniApp: MiniAppPackageField;
}

/**
 * The `miniApp` field of a mini-app's package.json: its registry entry without the URL it is
 * served at (that belongs to a deployment, not to the build).
 * @param dir the mini-app's package folder
 * @throws Error naming the file when package.json has no `miniApp` object
 */
export declare function readMiniAppPackage(dir: string): MiniAppPackage;

/** The registry entry of a mini-app served with its manifest at `manifestUrl` (check it with the SDK's parseRegistry). */
export declare function registryEntry(miniApp: MiniAppPackageField, manifestUrl: string): Omit<MiniAppEntry, 'handles'> & { handles?: MiniAppEntry['handles'] };
