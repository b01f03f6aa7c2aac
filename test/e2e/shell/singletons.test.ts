import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type Web } from '@mega/test-utils';
import { SHARED } from '@mega/mini-app-sdk/federation';

/**
 * A stand-in for the React DevTools hook: every react-dom copy on the page registers its renderer
 * with it when it loads, so the number of renderers is the number of React DOMs.
 */
function installReactHook() {
  const renderers = new Map<number, unknown>();
  (globalThis as unknown as { __REACT_DEVTOOLS_GLOBAL_HOOK__: unknown }).__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    renderers,
    supportsFiber: true,
    isDisabled: false,
    inject(renderer: unknown) {
      renderers.set(renderers.size + 1, renderer);
      return renderers.size;
    },
    checkDCE() {},
    onCommitFiberRoot() {},
    onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {},
    onScheduleFiberRoot() {},
    setStrictMode() {},
  };
}

interface SharedVersion {
  from: string;
  loaded?: boolean;
}

describe('the shell and its mini-apps share one of each singleton', () => {
  let web: Web;
  beforeAll(async () => {
    web = await startWeb();
  });
  afterAll(() => web?.stop());

  it('runs every mini-app on the shell\'s one React, one Apollo Client and one SDK, fetching none of them from a mini-app', async () => {
    const page = await web.newPage();
    await page.addInitScript(installReactHook);
    // The shell registers its GraphQL client where the Apollo devtools look when its config says so.
    await page.route(`${web.shellUrl}/config.json`, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), apolloDevtools: true } });
    });
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.url());
    });
    await web.signIn(page);
    for (const id of web.remotes.keys()) {
      const app = (web.registry() as { apps: { id: string; title: string; route: string }[] }).apps.find((entry) => entry.id === id)!;
      await page.getByRole('navigation', { name: 'Mini-apps' }).getByRole('link', { name: app.title }).click();
      await page.getByRole('heading', { level: 1, name: app.title }).waitFor();
    }

    const seen = await page.evaluate(() => {
      const federation = (globalThis as unknown as { __FEDERATION__: { __SHARE__: Record<string, Record<string, Record<string, Record<string, SharedVersion>>>>; __INSTANCES__: { name: string }[] } }).__FEDERATION__;
      const shared: Record<string, { container: string; version: string; from: string; loaded: boolean }[]> = {};
      for (const [container, scopes] of Object.entries(federation.__SHARE__)) {
        for (const packages of Object.values(scopes)) {
          for (const [name, versions] of Object.entries(packages)) {
            for (const [version, info] of Object.entries(versions)) (shared[name] ??= []).push({ container, version, from: info.from, loaded: info.loaded === true });
          }
        }
      }
      return {
        containers: federation.__INSTANCES__.map((instance) => instance.name).sort(),
        shared,
        reactRenderers: (globalThis as unknown as { __REACT_DEVTOOLS_GLOBAL_HOOK__: { renderers: Map<number, unknown> } }).__REACT_DEVTOOLS_GLOBAL_HOOK__.renderers.size,
        apolloClients: ((globalThis as unknown as Record<symbol, unknown[]>)[Symbol.for('apollo.devtools')] ?? []).length,
      };
    });

    expect(seen.containers).toEqual(['shell', ...web.remotes.keys()].sort());
    expect(seen.reactRenderers).toBe(1);
    expect(seen.apolloClients).toBe(1);
    for (const name of Object.keys(SHARED)) {
      const entries = seen.shared[name] ?? [];
      // Every container declares the package shared, its scope points at the shell's copy, and only that one is loaded.
      expect(entries.map((entry) => entry.container).sort(), name).toEqual(seen.containers);
      expect(new Set(entries.map((entry) => `${entry.version} from ${entry.from}`)), name).toEqual(new Set([`${entries[0]!.version} from shell`]));
      expect(entries.every((entry) => entry.loaded), name).toBe(true);
    }
    // A mini-app's own fallback copy of a shared package is a "prebuild" chunk; none was fetched.
    const remoteOrigins = [...web.remotes.values()].map((remote) => `http://127.0.0.1:${remote.port}/`);
    const fromRemotes = scripts.filter((url) => remoteOrigins.some((origin) => url.startsWith(origin)));
    expect(fromRemotes.length).toBeGreaterThan(0);
    expect(fromRemotes.filter((url) => url.includes('__prebuild__'))).toEqual([]);
    await page.context().close();
  });
});
