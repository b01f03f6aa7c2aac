import type { UserConfigFnObject } from 'vite';

export interface MiniAppConfigOptions {
  /** The Module Federation name: the `miniApp.id` of the package. */
  name: string;
  /** Where `vite preview` serves the build and where `vite` (dev) serves the dev host (the next free port when taken). */
  port: number;
  /** What the remote exposes; `./App` (`MINI_APP_EXPOSE`) is its root component, rendered with `MiniAppProps`. */
  exposes: { './App': string } & Record<string, string>;
}

/**
 * The whole vite config of a mini-app (a Module Federation remote).
 *
 * `vite build` writes `mf-manifest.json`, `remoteEntry.js` and `assets/`, every URL in them
 * relative (`base: './'`, so the manifest's `publicPath` is `auto`): the shell loads the chunks
 * from wherever it fetched the manifest, and one build is served from any origin, port or path.
 * `vite` (dev) runs the mini-app alone in the dev host page against the gateway (`GATEWAY_URL`).
 */
export declare function defineMiniAppConfig(options: MiniAppConfigOptions): UserConfigFnObject;
