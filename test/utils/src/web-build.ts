import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { readMiniAppPackage, type MiniAppPackage } from '@mega/mini-app-kit/mini-app-package';
import { REPO_ROOT } from './services.js';

/** The web shell's package folder. */
export const SHELL_DIR = path.join(REPO_ROOT, 'shell-web');
/** The gateway's playground (GraphiQL): built like the web apps, served by the gateway (PLAYGROUND_DIR). */
export const PLAYGROUND_DIR = path.join(REPO_ROOT, 'playground');
/** Where built web apps are kept, one folder per app and hash of its inputs. */
export const WEB_BUILD_CACHE_DIR = path.join(REPO_ROOT, 'node_modules/.cache/mega-web');
/** Changes with the way apps are built here, so that older builds are not reused. */
const BUILD_RECIPE = 'vite build --emptyOutDir --logLevel warn, NODE_ENV=production, v1';
/** Builds of one app kept besides the current one (other working trees, a branch switched back to). */
const KEPT_OLD_BUILDS = 3;

/**
 * Every mini-app of the workspace: each `remotes/*` folder with a `vite.config.ts`, with the
 * `miniApp` field of its package.json, sorted by folder.
 */
export function listMiniApps(remotesDir = path.join(REPO_ROOT, 'remotes')): MiniAppPackage[] {
  if (!existsSync(remotesDir)) return [];
  return readdirSync(remotesDir)
    .filter((name) => existsSync(path.join(remotesDir, name, 'vite.config.ts')))
    .sort()
    .map((name) => readMiniAppPackage(path.join(remotesDir, name)));
}

/** One built web app. */
export interface WebBuild {
  /** The app's package folder. */
  dir: string;
  /** The folder holding the build (immutable: serve it, never write into it). */
  outDir: string;
  /** The hash of the app's inputs that names `outDir`. */
  hash: string;
  /** Whether this call built it (false: it was in the cache). */
  built: boolean;
  /** How long the build took, 0 when cached. */
  ms: number;
}

export interface BuildWebAppsOptions {
  /** Where builds are kept. @default WEB_BUILD_CACHE_DIR */
  cacheDir?: string;
  /** How many vite builds run at once. @default 2 */
  concurrency?: number;
  /** Told before each build that is not cached (for progress output). */
  onBuild?: (dir: string) => void;
}

/** Files of a package that go into its build: everything but installed, built and hidden folders. */
async function listSources(dir: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (folder: string) => {
    const entries = await readdir(folder, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) files.push(full);
    }
  };
  await walk(dir);
  return files.sort();
}

/**
 * The package folders of `dir`'s `workspace:` dependencies, `dir` included: its own dependencies and
 * devDependencies, and the (runtime) dependencies of those, transitively. A workspace package's
 * devDependencies are not in another's build (the kit's dev host uses the shell only in `vite` dev).
 */
function workspaceClosure(dir: string, seen = new Set<string>(), top = true): Set<string> {
  if (seen.has(dir)) return seen;
  seen.add(dir);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  for (const [name, range] of Object.entries({ ...manifest.dependencies, ...(top ? manifest.devDependencies : {}) })) {
    if (!range.startsWith('workspace:')) continue;
    const linked = path.join(dir, 'node_modules', name);
    try {
      workspaceClosure(realpathSync(linked), seen, false);
    } catch {
      throw new Error(`${name} (a workspace dependency of ${path.relative(REPO_ROOT, dir)}) is not installed: run pnpm install`);
    }
  }
  return seen;
}

/**
 * The hash of everything an app's build depends on: its own files, those of its workspace
 * dependencies (the SDK, the mini-app kit), the lockfile (every other dependency), the root
 * TypeScript settings and the recipe.
 */
export async function hashWebApp(dir: string): Promise<string> {
  const hash = createHash('sha256').update(BUILD_RECIPE).update('\0');
  // The lockfile pins every other dependency; vite reads the TypeScript settings it transforms with.
  for (const file of ['pnpm-lock.yaml', 'tsconfig.json', 'tsconfig.base.json']) hash.update(await readFile(path.join(REPO_ROOT, file))).update('\0');
  for (const pkg of [...workspaceClosure(dir)].sort()) {
    for (const file of await listSources(pkg)) {
      hash.update(path.relative(REPO_ROOT, file)).update('\0').update(await readFile(file)).update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * A production build by vite's own command, in its own process, without vitest's environment: the
 * Module Federation plugin turns itself off when it sees VITEST or NODE_ENV=test.
 */
async function viteBuild(dir: string, outDir: string): Promise<void> {
  const vite = path.join(dir, 'node_modules/vite/bin/vite.js');
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'TEST'));
  const child = spawn(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: dir,
    env: { ...env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`vite build of ${path.relative(REPO_ROOT, dir)} exited with ${code}:\n${output.slice(-4000)}`);
}

/** Removes all but the newest `KEPT_OLD_BUILDS` other builds of an app, and its builds left half-done an hour ago or more. */
async function pruneOldBuilds(cacheDir: string, name: string, current: string): Promise<void> {
  const entries = (await readdir(cacheDir)).filter((entry) => entry.startsWith(`${name}-`) && entry !== current);
  const dated = await Promise.all(entries.map(async (entry) => ({ entry, mtime: (await stat(path.join(cacheDir, entry))).mtimeMs })));
  const builds = dated.filter(({ entry }) => /^[0-9a-f]{16}$/.test(entry.slice(name.length + 1)));
  const abandoned = dated.filter(({ entry, mtime }) => /^[0-9a-f]{16}\.building-/.test(entry.slice(name.length + 1)) && Date.now() - mtime > 3_600_000);
  const old = [...builds.sort((a, b) => b.mtime - a.mtime).slice(KEPT_OLD_BUILDS), ...abandoned];
  await Promise.all(old.map(({ entry }) => rm(path.join(cacheDir, entry), { recursive: true, force: true })));
}

/** Where the build of the app in `dir` with inputs `hash` ({@link hashWebApp}) is kept, whether it is there yet or not. */
export function webBuildDir(dir: string, hash: string, cacheDir = WEB_BUILD_CACHE_DIR): string {
  return path.join(cacheDir, `${path.basename(dir)}-${hash}`);
}

const inProcess = new Map<string, Promise<WebBuild>>();

/**
 * The production build of one web app (the shell or a mini-app), from the cache when its inputs
 * are unchanged ({@link hashWebApp}). A build is written to a folder of its own and then renamed
 * into place, so that several processes building at once never see a half-written build, and
 * calls within one process share one build of the same inputs.
 */
export async function buildWebApp(dir: string, options: Omit<BuildWebAppsOptions, 'concurrency'> = {}): Promise<WebBuild> {
  const cacheDir = options.cacheDir ?? WEB_BUILD_CACHE_DIR;
  const hash = await hashWebApp(dir);
  const key = `${cacheDir}\0${dir}\0${hash}`;
  const running = inProcess.get(key);
  if (running) return running.then((build) => ({ ...build, built: false, ms: 0 }));
  const promise = (async (): Promise<WebBuild> => {
    const name = path.basename(dir);
    const outDir = webBuildDir(dir, hash, cacheDir);
    if (existsSync(outDir)) return { dir, outDir, hash, built: false, ms: 0 };
    options.onBuild?.(dir);
    const started = performance.now();
    await mkdir(cacheDir, { recursive: true });
    const temporary = `${outDir}.building-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await viteBuild(dir, temporary);
      await rename(temporary, outDir).catch(async (error: NodeJS.ErrnoException) => {
        // Another process published the same build first: theirs is as good as ours.
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      });
    } finally {
      await rm(temporary, { recursive: true, force: true });
    }
    await pruneOldBuilds(cacheDir, name, path.basename(outDir)).catch(() => undefined);
    return { dir, outDir, hash, built: true, ms: Math.round(performance.now() - started) };
  })();
  inProcess.set(key, promise);
  promise.catch(() => inProcess.delete(key));
  return promise;
}

/** {@link buildWebApp} for several apps, `concurrency` vite builds at a time; results in the order of `dirs`. */
export async function buildWebApps(dirs: readonly string[], options: BuildWebAppsOptions = {}): Promise<WebBuild[]> {
  const results: WebBuild[] = new Array(dirs.length);
  let next = 0;
  const worker = async () => {
    while (next < dirs.length) {
      const index = next++;
      results[index] = await buildWebApp(dirs[index]!, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 2, dirs.length) }, worker));
  return results;
}
