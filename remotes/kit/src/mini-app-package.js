// Plain JavaScript (typed by mini-app-package.d.ts): vite-config.js imports it, and vite loads a
// config with Node itself (see remotes/sdk/src/federation.js).
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The `miniApp` field of a mini-app's package.json: its registry entry without the URL it is
 * served at (that belongs to a deployment, not to the build).
 * @param dir the mini-app's package folder
 * @throws Error naming the file when package.json has no `miniApp` object
 */
export function readMiniAppPackage(dir) {
  const file = path.join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  const miniApp = manifest.miniApp;
  if (typeof miniApp !== 'object' || miniApp === null || Array.isArray(miniApp)) {
    throw new Error(`${file} has no "miniApp" field: { id, title, icon, route, sdk, capabilities, handles } (docs/mini-apps.md)`);
  }
  return { dir, packageName: manifest.name, miniApp };
}

/** The registry entry of a mini-app served with its manifest at `manifestUrl` (check it with the SDK's parseRegistry). */
export function registryEntry(miniApp, manifestUrl) {
  return { ...miniApp, manifestUrl };
}
