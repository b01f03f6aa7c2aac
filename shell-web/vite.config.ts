import { fileURLToPath } from 'node:url';
import { federation } from '@module-federation/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { SHARED } from '@mega/mini-app-sdk/federation';
import type { LoadDeferredSharesOptions } from './src/load-deferred-shares';
import { PWA_ICONS, pwaIcons } from './pwa-icons';

/**
 * The shared packages the shell's first paint (the sign-in page, the home page) runs: its
 * container loads them when it starts. The others in `SHARED` (Apollo Client, graphql, rxjs) only
 * the mini-app area imports, which comes with the first mini-app.
 */
const FIRST_PAINT_SHARES = ['react', 'react-dom', '@mega/mini-app-sdk'];
const DEFERRED_SHARES = Object.keys(SHARED).filter((key) => !FIRST_PAINT_SHARES.includes(key.split('/').slice(0, key.startsWith('@') ? 2 : 1).join('/')));

/**
 * Keeps the shell's container from loading `deferred` shares when it starts.
 *
 * `@module-federation/vite` 1.23.8 marks every share the host imports anywhere, lazy chunks
 * included, `materialize: true` in its generated `localSharedImportMap`, and the container's
 * `init()` loads all of them before the shell's bootstrap runs: the sign-in page downloaded Apollo
 * Client, graphql and rxjs. The plugin has no option for it (its lazy shares are consume-only
 * ones, `import: false`). With `materialize: false` the share is still registered as the shell's
 * provider; its `loadShare` wrapper loads the shell's copy when the mini-app area imports it, and
 * ./src/load-deferred-shares.ts has the runtime load it (marked loaded) before the first mini-app's
 * container starts. Fails the build when the generated module no longer has the shape this edits.
 */
function deferShares(deferred: readonly string[]): Plugin {
  const entry = /"([^"]+)": \{\s*name: "\1",[^}]*?materialize: (?:true|false),/g;
  return {
    name: 'mega:defer-shares',
    apply: 'build',
    enforce: 'post',
    transform(code, id) {
      if (!id.includes('virtual:mf-localSharedImportMap')) return undefined;
      const edited = new Set<string>();
      const result = code.replace(entry, (whole, key: string) => {
        if (!deferred.includes(key)) return whole;
        edited.add(key);
        return whole.replace(/materialize: (?:true|false),$/, 'materialize: false,');
      });
      const missed = deferred.filter((key) => code.includes(`"${key}": {`) && !edited.has(key));
      if (missed.length > 0) this.error(`deferShares: no "materialize" flag found for ${missed.join(', ')} in the localSharedImportMap of @module-federation/vite; has the plugin changed it?`);
      return { code: result, map: null };
    },
  };
}

/**
 * Lets the shell's own lazy chunks (the mini-app area) preload everything they import.
 *
 * The federation plugin keeps its chunks (`loadShare` wrappers, the shell's copies of the shares)
 * out of every modulepreload list, so that a container never fetches a copy of a share it may end
 * up not using. The shell's wrappers import the shell's copies statically, so its lazy chunks load
 * them all the same, but the browser found them one import at a time: Apollo Client came three
 * round trips after the mini-app area's chunk. Chunks of the federation plugin itself (the
 * container's entry, its start-up, its import map) keep the plugin's lists.
 */
function preloadOwnChunksWhole(): Plugin {
  const isFederationChunk = (file: string) => ['__mfe_internal__', 'virtual_mf', 'remoteEntry', 'hostInit', 'localSharedImportMap'].some((marker) => file.includes(marker));
  return {
    name: 'mega:preload-own-chunks-whole',
    apply: 'build',
    // After the federation plugin's `config` (enforce: 'pre'), which sets `resolveDependencies`.
    config(config) {
      const modulePreload = config.build?.modulePreload;
      const federationResolve = typeof modulePreload === 'object' ? modulePreload.resolveDependencies : undefined;
      if (typeof modulePreload !== 'object' || !federationResolve) throw new Error('preloadOwnChunksWhole: the federation plugin set no build.modulePreload.resolveDependencies; has @module-federation/vite changed?');
      modulePreload.resolveDependencies = (filename, deps, context) =>
        context.hostType === 'js' && !isFederationChunk(context.hostId) ? deps : federationResolve(filename, deps, context);
    },
  };
}

const deferredSharesPlugin: [string, Record<string, unknown>] = [fileURLToPath(new URL('./src/load-deferred-shares.ts', import.meta.url)), { shares: DEFERRED_SHARES } satisfies LoadDeferredSharesOptions];

/** The shell: a host with no static remotes; it registers them from the registry at run time. */
export default defineConfig({
  base: '/',
  build: {
    target: 'es2022',
    // The federation plugin gives each shared module's `loadShare` wrapper a chunk of its own, but
    // by default a chunk group also takes in every module its captured modules import: the
    // @apollo/client/react wrapper took in React's wrapper and React itself, so the first paint
    // imported Apollo Client, graphql and rxjs. Each wrapper alone in its chunk, the code it needs
    // is split as usual (docs/benchmarks.md#the-web-shell).
    rolldownOptions: { output: { codeSplitting: { includeDependenciesRecursively: false } } },
  },
  server: { port: 5173, strictPort: true, host: '127.0.0.1' },
  preview: { port: 5173, strictPort: true, host: '127.0.0.1' },
  plugins: [
    react(),
    federation({ name: 'shell', dts: false, shareStrategy: 'loaded-first', shared: SHARED, runtimePlugins: [deferredSharesPlugin] }),
    deferShares(DEFERRED_SHARES),
    preloadOwnChunksWhole(),
    pwaIcons(),
    // The service worker (src/sw.ts, built to /sw.js) and the web app manifest (shell-web/README.md,
    // "Offline and installable"). Registered by src/app-updates.ts in production builds only.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      devOptions: { enabled: false },
      injectManifest: { globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'], maximumFileSizeToCacheInBytes: 4 * 1024 * 1024 },
      manifest: {
        id: '/',
        name: 'Mega App',
        short_name: 'Mega',
        description: 'Chat, media and shopping in one app.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#1f5fd6',
        background_color: '#f4f5f7',
        icons: PWA_ICONS.map((icon) => ({ ...icon })),
      },
    }),
  ],
});
