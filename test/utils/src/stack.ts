import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Agent, fetch } from 'undici';
import { buildServices, bundlePath } from './build.js';
import { freePort, freePorts } from './ports.js';
import { REPO_ROOT, SERVICES, SUBGRAPHS, type ServiceName } from './services.js';
import { buildWebApps, hashWebApp, listMiniApps, PLAYGROUND_DIR, SHELL_DIR, webBuildDir } from './web-build.js';
import { serveWebApps, type WebServers } from './web-servers.js';

/** Where `startStack` serves the web. */
export interface StackWebOptions {
  /** The shell's port; 0 picks a free one. */
  shellPort: number;
  /** The first mini-app's port; the others follow in the order of their folders (chat, media, shop, ...); 0 picks free ones. */
  miniAppsPort: number;
  /** Told before an app is built (its build is missing or stale); cached builds start at once. */
  onBuild?: (dir: string) => void;
}

export interface StackOptions {
  /** Ports per service; 0 picks a free one. @default all 0 */
  ports?: Partial<Record<ServiceName, number>>;
  /** Where PGlite data, files and the dev secret live. */
  dataDir: string;
  /** A PostgreSQL server for every subgraph (each in its own schema); absent: embedded PGlite. */
  databaseUrl?: string;
  gatewaySecret: string;
  /** @default 'development' */
  nodeEnv?: 'development' | 'production' | 'test';
  /** Seed demo data on first start. @default true */
  seed?: boolean;
  /** Extra environment for every process. */
  env?: Record<string, string>;
  /** Receives every line a process prints. @default collected in `Stack.logs` only */
  onLine?: (service: ServiceName, line: string) => void;
  /** How long to wait for every /readyz. @default 120000 */
  readyTimeoutMs?: number;
  /** Bundle the services first (see build.ts); false runs what `dist/` already holds. @default true */
  build?: boolean;
  /**
   * The gateway serves HTTPS with this certificate and key (TLS_CERT_FILE, TLS_KEY_FILE; the
   * subgraphs stay on HTTP), and its readiness is checked trusting `caFile` only. @default plain HTTP
   */
  tls?: { caFile: string; certFile: string; keyFile: string };
  /**
   * Also build (when missing or stale, see web-build.ts) and serve the web shell and every mini-app,
   * the shell's `config.json` naming the gateway and a registry of the mini-apps; every process gets
   * `CORS_ORIGINS` with the shell's origins (before any `CORS_ORIGINS` already in the environment).
   * With `tls`, the web is served over HTTPS with the same certificate. The gateway's playground is
   * built too, and the gateway serves it (PLAYGROUND_DIR). @default no web
   */
  web?: StackWebOptions;
}

export interface Stack {
  urls: Record<ServiceName, string>;
  /** The shell and the mini-apps, when `StackOptions.web` was given. */
  web: WebServers | undefined;
  /** Process ids, for measurements (`/proc/<pid>/status`). */
  pids(): Record<ServiceName, number | undefined>;
  ports: Record<ServiceName, number>;
  /** The last lines each process printed (for test failure messages). */
  logs: Record<ServiceName, string[]>;
  /** Kills one process at once (SIGKILL), as a crash would. */
  kill(service: ServiceName): Promise<void>;
  /** Starts a killed or stopped process again on the same port and waits until it is ready. */
  restart(service: ServiceName): Promise<void>;
  /** SIGTERM to all, waits for them to exit (SIGKILL after `timeoutMs`). Idempotent. */
  stop(timeoutMs?: number): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const MAX_LOG_LINES = 400;

/**
 * Starts a service's bundle (`pnpm build`'s) as a process of its own group (a terminal's Ctrl-C
 * reaches only the launcher, which stops each child once), keeping its last lines in `logs` and
 * handing each line to `onLine`.
 */
export function spawnService(service: ServiceName, env: NodeJS.ProcessEnv, logs: string[], onLine?: (line: string) => void): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', bundlePath(service)], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => {
      logs.push(line);
      if (logs.length > MAX_LOG_LINES) logs.shift();
      onLine?.(line);
    });
  }
  return child;
}

/** Sends `signal` and waits until the process exits, with SIGKILL after `timeoutMs`; nothing when it has exited. */
export async function terminateChild(child: ChildProcess | undefined, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** Polls `url` until it answers 2xx; fails early when `child` exits. */
export async function waitForReady(url: string, child: ChildProcess, timeoutMs: number, service: string, dispatcher: Agent): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 25;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${service} exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000), dispatcher });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 250);
  }
  throw new Error(`${service} was not ready within ${timeoutMs} ms (${url})`);
}

/**
 * The persisted-document manifests of the shell and the mini-apps (their `src/gql/
 * persisted-documents.json`, written by `pnpm codegen`), copied into one folder for the gateway's
 * PERSISTED_DOCUMENTS_DIR, so that the web's operations run by their ids.
 * @returns the folder
 */
async function collectPersistedDocuments(dataDir: string, apps: readonly { dir: string; name: string }[]): Promise<string> {
  const dir = path.join(dataDir, 'persisted-documents');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const app of apps) {
    const manifest = path.join(app.dir, 'src/gql/persisted-documents.json');
    if (existsSync(manifest)) await copyFile(manifest, path.join(dir, `${app.name}.json`));
  }
  return dir;
}

/**
 * Starts the real processes (four subgraphs and the gateway), each with its own port and data,
 * and resolves once every /readyz answers 200. Used by `pnpm start` and the end-to-end tests.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const ports = {} as Record<ServiceName, number>;
  for (const service of SERVICES) {
    const wanted = options.ports?.[service] ?? 0;
    ports[service] = wanted === 0 ? await freePort() : wanted;
  }
  const origin = (service: ServiceName) => `${service === 'gateway' && options.tls ? 'https' : 'http'}://127.0.0.1:${ports[service]}`;
  const urls = Object.fromEntries(SERVICES.map((s) => [s, `${origin(s)}/graphql`])) as Record<ServiceName, string>;
  // Readiness probes trust the generated CA, and only it, for the gateway; verification stays on.
  const probes = new Agent(options.tls ? { connect: { ca: readFileSync(options.tls.caFile) } } : {});
  const logs = Object.fromEntries(SERVICES.map((s) => [s, [] as string[]])) as Record<ServiceName, string[]>;
  const children = new Map<ServiceName, ChildProcess>();

  const miniApps = options.web ? listMiniApps() : [];
  const webPorts = options.web && {
    shell: options.web.shellPort || (await freePort()),
    miniApps: options.web.miniAppsPort ? miniApps.map((_, index) => options.web!.miniAppsPort + index) : await freePorts(miniApps.length),
  };
  const persistedDocumentsDir = options.web
    ? await collectPersistedDocuments(options.dataDir, [{ dir: SHELL_DIR, name: 'shell' }, ...miniApps.map((pkg) => ({ dir: pkg.dir, name: pkg.miniApp.id }))])
    : undefined;
  // The gateway serves the playground from where its build will be: it may still be building while the gateway starts.
  const playgroundBuildDir = options.web ? webBuildDir(PLAYGROUND_DIR, await hashWebApp(PLAYGROUND_DIR)) : undefined;
  const scheme = options.tls ? 'https' : 'http';
  const shellOrigins = webPorts ? [`${scheme}://127.0.0.1:${webPorts.shell}`, `${scheme}://localhost:${webPorts.shell}`] : [];
  const corsOrigins = [...shellOrigins, ...(options.env?.CORS_ORIGINS ?? process.env.CORS_ORIGINS ?? '').split(',').filter(Boolean)];
  const envFor = (service: ServiceName): NodeJS.ProcessEnv => ({
    ...process.env,
    NODE_ENV: options.nodeEnv ?? 'development',
    HOST: '127.0.0.1',
    PORT: String(ports[service]),
    DATA_DIR: options.dataDir,
    GATEWAY_SECRET: options.gatewaySecret,
    SEED: String(options.seed ?? true),
    APOLLO_TELEMETRY_DISABLED: '1',
    MEDIA_PUBLIC_URL: origin('media'),
    SUBGRAPH_URLS: SUBGRAPHS.map((s) => `${s}=${urls[s]}`).join(','),
    JWKS_URL: `${origin('accounts')}/.well-known/jwks.json`,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(persistedDocumentsDir ? { PERSISTED_DOCUMENTS_DIR: persistedDocumentsDir } : {}),
    ...(service === 'gateway' && playgroundBuildDir ? { PLAYGROUND_DIR: playgroundBuildDir } : {}),
    ...options.env,
    ...(options.web ? { CORS_ORIGINS: corsOrigins.join(',') } : {}),
    ...(service === 'gateway' && options.tls ? { TLS_CERT_FILE: options.tls.certFile, TLS_KEY_FILE: options.tls.keyFile } : {}),
  });

  const launch = async (service: ServiceName) => {
    const child = spawnService(service, envFor(service), logs[service], (line) => options.onLine?.(service, line));
    children.set(service, child);
    await waitForReady(`${origin(service)}/readyz`, child, options.readyTimeoutMs ?? 120_000, service, probes);
  };

  const terminate = (service: ServiceName, signal: NodeJS.Signals, timeoutMs: number) => terminateChild(children.get(service), signal, timeoutMs);

  let web: WebServers | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (timeoutMs = 15_000) => {
    stopped ??= Promise.all([web?.stop(), ...SERVICES.map((s) => terminate(s, 'SIGTERM', timeoutMs))]).then(() => probes.close());
    return stopped;
  };

  // The web builds (only what changed) while the services bundle and start.
  const webBuilds = options.web ? buildWebApps([SHELL_DIR, ...miniApps.map((pkg) => pkg.dir), PLAYGROUND_DIR], options.web.onBuild ? { onBuild: options.web.onBuild } : {}) : undefined;
  webBuilds?.catch(() => undefined); // awaited below, after the services
  try {
    if (options.build ?? true) await buildServices(SERVICES);
    await Promise.all(SERVICES.map(launch));
  } catch (error) {
    await stop(2_000);
    const tail = SERVICES.map((s) => `--- ${s}\n${logs[s].slice(-30).join('\n')}`).join('\n');
    throw new Error(`${(error as Error).message}\n${tail}`, { cause: error });
  }
  if (webPorts && webBuilds) {
    try {
      const [shell, ...remotes] = await webBuilds;
      web = await serveWebApps({
        shellOutDir: shell!.outDir,
        shellPort: webPorts.shell,
        gatewayUrl: urls.gateway,
        remotes: miniApps.map((pkg, index) => ({ pkg, outDir: remotes[index]!.outDir, port: webPorts.miniApps[index]! })),
        ...(options.tls ? { tls: { certFile: options.tls.certFile, keyFile: options.tls.keyFile } } : {}),
      });
    } catch (error) {
      await stop(2_000);
      throw error;
    }
  }

  return {
    urls,
    web,
    ports,
    logs,
    pids: () => Object.fromEntries(SERVICES.map((s) => [s, children.get(s)?.pid])) as Record<ServiceName, number | undefined>,
    kill: (service) => terminate(service, 'SIGKILL', 0),
    restart: async (service) => {
      await terminate(service, 'SIGTERM', 5_000);
      await launch(service);
    },
    stop,
    [Symbol.asyncDispose]: () => stop(),
  };
}
