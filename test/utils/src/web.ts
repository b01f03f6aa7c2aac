import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Registry } from '@mega/mini-app-sdk';
import { readMiniAppPackage } from '@mega/mini-app-kit/mini-app-package';
import { DEMO_USERS } from '@mega/subgraph-kit/demo';
import { launchChromium } from './chromium.js';
import { startFederation, type Federation, type FederationOptions } from './federation.js';
import { freePorts } from './ports.js';
import { buildWebApps, listMiniApps, SHELL_DIR } from './web-build.js';
import { serveWebApps, type WebServers } from './web-servers.js';

export interface WebOptions {
  /**
   * Options of the in-process federation the harness starts for the shell (`startFederation`), its
   * gateway allowing the shell's origin (CORS). Ignored with `gatewayUrl`.
   * @default { seed: true }
   */
  federation?: FederationOptions;
  /**
   * A gateway that is already running, used instead of starting a federation. It must allow the
   * shell's origin: pick `shellPort` first and give the gateway `http://127.0.0.1:<shellPort>`.
   * @default a federation is started
   */
  gatewayUrl?: string;
  /** @default a free port */
  shellPort?: number;
  /** The workspace's mini-apps (remotes/*) to build, serve and register, by id. @default all of them */
  remotes?: readonly string[];
  /** More mini-app folders to build, serve and register (e.g. one made by create-remote elsewhere). @default none */
  remoteDirs?: readonly string[];
  /** Mini-apps that are registered but not served at first (their slot fails until `startRemote`). @default none */
  stopped?: readonly string[];
  /** Rewrites the registry document the shell gets, e.g. to add an entry the shell must refuse. @default as generated */
  registry?: (registry: Registry) => unknown;
}

/** The shell and the mini-apps built and served, a gateway behind them, and Chromium to drive them. */
export interface Web extends Omit<WebServers, 'stop'> {
  /** The GraphQL endpoint the shell's `config.json` names. */
  gatewayUrl: string;
  /** The federation the harness started; undefined with `WebOptions.gatewayUrl`. */
  federation: Federation | undefined;
  /** The shell's URL of a mini-app's route, e.g. `http://127.0.0.1:41234/chat`. */
  appUrl(id: string): string;
  /** The harness's Chromium, launched on first use and closed by `stop()`. */
  browser(): Promise<Browser>;
  /**
   * A page in a fresh browser context (its own storage: another user), with a 20 s default timeout.
   * The shell's service worker is blocked unless `serviceWorkers: 'allow'` (test/e2e/shell/offline-shell.test.ts):
   * with a worker, `page.route` no longer sees the requests it answers.
   */
  newPage(options?: { serviceWorkers?: 'allow' | 'block' }): Promise<Page>;
  /** Signs `page` in through the shell's sign-in form and waits for the signed-in shell. @default user DEMO_USERS.alice */
  signIn(page: Page, user?: { email: string; password: string }): Promise<void>;
  /** Closes the browser, the servers and the federation. Idempotent. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Builds the shell and the mini-apps (cached by a hash of their sources and the lockfile, see
 * web-build.ts), serves each on its own port with a static server, writes the shell's
 * `config.json` and a registry of the served mini-apps made from their package.json `miniApp`
 * fields, and starts a seeded in-process federation whose gateway allows the shell's origin.
 *
 * @example
 * ```ts
 * await using web = await startWeb();
 * const page = await web.newPage();
 * await web.signIn(page, DEMO_USERS.bob);
 * await page.goto(web.appUrl('chat'));
 * await page.getByRole('heading', { name: 'Chat' }).waitFor();
 * ```
 */
export async function startWeb(options: WebOptions = {}): Promise<Web> {
  const cleanups: (() => Promise<void>)[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    })();
    return stopped;
  };
  try {
    const shellPort = options.shellPort ?? (await freePorts(1))[0]!;
    const shellUrl = `http://127.0.0.1:${shellPort}`;
    const all = listMiniApps();
    const wanted = options.remotes ?? all.map((pkg) => pkg.miniApp.id);
    const packages = [
      ...wanted.map((id) => {
        const pkg = all.find((candidate) => candidate.miniApp.id === id);
        if (!pkg) throw new Error(`No mini-app "${id}" under remotes/ (there are: ${all.map((p) => p.miniApp.id).join(', ')})`);
        return pkg;
      }),
      ...(options.remoteDirs ?? []).map((dir) => readMiniAppPackage(path.resolve(dir))),
    ];

    const federationStarted = options.gatewayUrl
      ? Promise.resolve(undefined)
      : startFederation({ seed: true, ...options.federation, gateway: { ...options.federation?.gateway, cors: { ...options.federation?.gateway?.cors, origins: [shellUrl, ...(options.federation?.gateway?.cors?.origins ?? [])] } } });
    const [federation, builds] = await Promise.all([
      federationStarted.then((started) => {
        if (started) cleanups.push(() => started.stop());
        return started;
      }),
      buildWebApps([SHELL_DIR, ...packages.map((pkg) => pkg.dir)]),
    ]);
    const gatewayUrl = options.gatewayUrl ?? federation!.gatewayUrl;

    const servers = await serveWebApps({
      shellOutDir: builds[0]!.outDir,
      shellPort,
      gatewayUrl,
      remotes: (await freePorts(packages.length + 1)).filter((port) => port !== shellPort).slice(0, packages.length).map((port, index) => ({ pkg: packages[index]!, outDir: builds[index + 1]!.outDir, port })),
      ...(options.stopped ? { stopped: options.stopped } : {}),
      ...(options.registry ? { registry: options.registry } : {}),
    });
    cleanups.push(() => servers.stop());

    let browser: Promise<Browser> | undefined;
    const getBrowser = () => {
      if (!browser) {
        browser = launchChromium();
        cleanups.push(async () => (await browser)?.close());
      }
      return browser;
    };

    const route = (id: string) => {
      const pkg = packages.find((candidate) => candidate.miniApp.id === id);
      if (!pkg) throw new Error(`The harness serves no mini-app "${id}"`);
      return pkg.miniApp.route;
    };
    return {
      shellUrl: servers.shellUrl,
      get shellOutDir() {
        return servers.shellOutDir;
      },
      gatewayUrl,
      federation,
      remotes: servers.remotes,
      registry: servers.registry,
      appUrl: (id) => `${shellUrl}${route(id)}`,
      stopRemote: servers.stopRemote,
      startRemote: servers.startRemote,
      deployRemote: servers.deployRemote,
      deployShell: servers.deployShell,
      browser: getBrowser,
      newPage: async ({ serviceWorkers = 'block' } = {}) => {
        const context = await (await getBrowser()).newContext({ serviceWorkers });
        const page = await context.newPage();
        page.setDefaultTimeout(20_000);
        return page;
      },
      signIn: async (page, user = DEMO_USERS.alice) => {
        await page.goto(`${shellUrl}/`);
        await page.getByLabel('Email').fill(user.email);
        await page.getByLabel('Password').fill(user.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('button', { name: 'Sign out' }).waitFor();
      },
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
