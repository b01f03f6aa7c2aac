// Plain JavaScript (typed by vite-config.d.ts): vite loads a config with Node itself, and a config
// loaded any other way made the Module Federation plugin bundle a second copy of its runtime
// (see remotes/sdk/src/federation.js).
import { federation } from '@module-federation/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { MINI_APP_EXPOSE, SHARED } from '@mega/mini-app-sdk/federation';
import { devHost } from './dev-host-plugin.js';
import { readMiniAppPackage } from './mini-app-package.js';

/** The build's only input besides what the federation plugin emits: a mini-app has no page of its own. */
const BUILD_ENTRY = 'virtual:mini-app-build-entry';

/** The shell registers a remote under its registry id (`miniApp.id`): its Module Federation name must be the same. */
function sameName(name) {
  return {
    name: 'mini-app-name',
    configResolved(config) {
      const { miniApp } = readMiniAppPackage(config.root);
      if (miniApp.id !== name) throw new Error(`${config.root}/package.json: miniApp.id is "${miniApp.id}" but the vite config names the remote "${name}"`);
    },
  };
}

/**
 * The whole vite config of a mini-app (a Module Federation remote).
 *
 * `vite build` writes `mf-manifest.json`, `remoteEntry.js` and `assets/`, every URL in them
 * relative (`base: './'`, so the manifest's `publicPath` is `auto`): the shell loads the chunks
 * from wherever it fetched the manifest, and one build is served from any origin, port or path.
 * `vite` (dev) runs the mini-app alone in the dev host page (dev-host-plugin.js).
 */
export function defineMiniAppConfig({ name, port, exposes }) {
  if (!exposes || typeof exposes[MINI_APP_EXPOSE] !== 'string') throw new Error(`defineMiniAppConfig(${name}): exposes must map "${MINI_APP_EXPOSE}" to the root component`);
  return defineConfig(({ command }) => ({
    base: './',
    build: {
      target: 'es2022',
      rollupOptions: { input: { [name]: BUILD_ENTRY } },
    },
    server: { port, host: '127.0.0.1' },
    preview: { port, strictPort: true, host: '127.0.0.1', cors: true },
    plugins:
      command === 'build'
        ? [
            react(),
            sameName(name),
            {
              name: 'mini-app-build-entry',
              resolveId: (id) => (id === BUILD_ENTRY ? `\0${BUILD_ENTRY}` : undefined),
              load: (id) => (id === `\0${BUILD_ENTRY}` ? 'export {};' : undefined),
            },
            federation({ name, filename: 'remoteEntry.js', manifest: true, dts: false, exposes, shared: SHARED }),
          ]
        : [react(), sameName(name), devHost({ app: exposes[MINI_APP_EXPOSE] })],
  }));
}
