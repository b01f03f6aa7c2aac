import type { MiniAppPackage } from '@mega/mini-app-kit/mini-app-package';
import { serveStatic, type StaticServer } from './static-server.js';
import { createRegistry } from './web-registry.js';
import type { Registry } from '@mega/mini-app-sdk';

/** A built mini-app to serve, and where. */
export interface MiniAppToServe {
  pkg: MiniAppPackage;
  /** Its build (web-build.ts). */
  outDir: string;
  port: number;
}

export interface ServeWebAppsOptions {
  /** The shell's build. */
  shellOutDir: string;
  shellPort: number;
  remotes: readonly MiniAppToServe[];
  /** What the shell's `config.json` names as `gatewayUrl`. */
  gatewayUrl: string;
  /** Serve HTTPS with this certificate (for 127.0.0.1 and localhost). @default HTTP */
  tls?: { certFile: string; keyFile: string };
  /** Mini-apps registered but not served at first. @default none */
  stopped?: readonly string[];
  /** Rewrites the generated registry document. @default as generated */
  registry?: (registry: Registry) => unknown;
}

/** A mini-app as it is served. */
export interface WebRemote {
  id: string;
  /** Its package folder. */
  dir: string;
  /** The (cached, immutable) build served now. */
  readonly outDir: string;
  /** Where it is served, or would be while stopped. */
  readonly port: number;
  /** The registry's `manifestUrl` for it. */
  readonly manifestUrl: string;
  /** Whether its server is up. */
  readonly running: boolean;
}

/** The shell and the mini-apps, each on its own static server. */
export interface WebServers {
  /** The shell's origin, e.g. `http://127.0.0.1:5173` (no trailing slash). */
  shellUrl: string;
  /** The shell's build served now. */
  readonly shellOutDir: string;
  /** Every served mini-app by id, in registry order. */
  remotes: ReadonlyMap<string, WebRemote>;
  /** The registry document the shell gets now (`/registry.json`). */
  registry(): unknown;
  /** Stops serving a mini-app (it stays in the registry): as if its server went down. */
  stopRemote(id: string): Promise<void>;
  /**
   * Serves a mini-app's build again. With `port`, on that port instead, and the registry follows:
   * moving a mini-app is a registry change, its build stays the same.
   */
  startRemote(id: string, options?: { port?: number }): Promise<void>;
  /**
   * Serves another build of a mini-app where it is served now, as its team deploys a new version
   * (or rolls back): same URL, same registry; the shell is not rebuilt.
   */
  deployRemote(id: string, outDir: string): Promise<void>;
  /**
   * Serves another build of the shell at the same origin, as a release of the shell does (its
   * `config.json` and registry stay): open pages find it through their service worker's update check.
   */
  deployShell(outDir: string): Promise<void>;
  /** Closes every server. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Serves the shell's build with its run-time `config.json` (`gatewayUrl`, `registryUrl`) and
 * `registry.json` (made from each mini-app's `miniApp` field and the URL it is served at), and each
 * mini-app's build on its own port with CORS open (the shell's page fetches its modules).
 */
export async function serveWebApps(options: ServeWebAppsOptions): Promise<WebServers> {
  const scheme = options.tls ? 'https' : 'http';
  const states = new Map(options.remotes.map((remote) => [remote.pkg.miniApp.id, { ...remote, server: undefined as StaticServer | undefined }]));
  const manifestUrl = (state: MiniAppToServe) => `${scheme}://127.0.0.1:${state.port}/mf-manifest.json`;
  const registry = () => {
    const generated = createRegistry([...states.values()].map((state) => ({ miniApp: state.pkg.miniApp, manifestUrl: manifestUrl(state) })));
    return options.registry ? options.registry(generated) : generated;
  };
  const state = (id: string) => {
    const found = states.get(id);
    if (!found) throw new Error(`No mini-app "${id}" is served here (there are: ${[...states.keys()].join(', ')})`);
    return found;
  };
  const stopRemote = async (id: string) => {
    const remote = state(id);
    const server = remote.server;
    remote.server = undefined;
    await server?.close();
  };
  const startRemote = async (id: string, { port }: { port?: number } = {}) => {
    const remote = state(id);
    if (remote.server && (port === undefined || port === remote.port)) return;
    await stopRemote(id);
    if (port !== undefined) remote.port = port;
    remote.server = await serveStatic({ root: remote.outDir, port: remote.port, cors: true, ...(options.tls ? { tls: options.tls } : {}) });
  };
  const deployRemote = async (id: string, outDir: string) => {
    await stopRemote(id);
    state(id).outDir = outDir;
    await startRemote(id);
  };
  let shell: StaticServer | undefined;
  let shellOutDir = options.shellOutDir;
  const config = JSON.stringify({ gatewayUrl: options.gatewayUrl, registryUrl: '/registry.json' });
  const serveShell = async () =>
    (shell = await serveStatic({
      root: shellOutDir,
      port: options.shellPort,
      spaFallback: true,
      documents: { '/config.json': () => config, '/registry.json': () => JSON.stringify(registry()) },
      ...(options.tls ? { tls: options.tls } : {}),
    }));
  const deployShell = async (outDir: string) => {
    const served = shell;
    shell = undefined;
    await served?.close();
    shellOutDir = outDir;
    await serveShell();
  };
  const stop = async () => {
    await Promise.all([shell?.close(), ...[...states.keys()].map(stopRemote)]);
  };
  let shellUrl: string;
  try {
    const stopped = new Set(options.stopped ?? []);
    await Promise.all([...states.keys()].filter((id) => !stopped.has(id)).map((id) => startRemote(id)));
    // The registry is checked now, so that a bad `miniApp` field fails the start, not the page.
    registry();
    shellUrl = (await serveShell()).origin;
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    shellUrl,
    get shellOutDir() {
      return shellOutDir;
    },
    remotes: new Map(
      [...states.entries()].map(([id, remote]) => [
        id,
        {
          id,
          dir: remote.pkg.dir,
          get outDir() {
            return remote.outDir;
          },
          get port() {
            return remote.port;
          },
          get manifestUrl() {
            return manifestUrl(remote);
          },
          get running() {
            return remote.server !== undefined;
          },
        },
      ]),
    ),
    registry,
    stopRemote,
    startRemote,
    deployRemote,
    deployShell,
    stop,
  };
}
