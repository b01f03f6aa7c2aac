import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, buildWebApp, CHROMIUM_LAUNCH_OPTIONS, DEMO_USERS, eventually, queryAs, REPO_ROOT, serveStatic, SHELL_DIR, startWeb, type StaticServer, type Web } from '@mega/test-utils';
import { DIRECT_CONVERSATIONS_QUERY, directConversationId, thread } from '../chat/chat-pages.js';

/**
 * A copy of a web app (its `src/` and `files`) with one visible change in one source file: its
 * next release. Kept at a fixed path with the same bytes every run, so that its build is cached
 * like the others (web-build.ts).
 */
async function buildNextRelease(source: string, name: string, files: string[], change: { file: string; from: string; to: string }): Promise<string> {
  const dir = path.join(REPO_ROOT, 'node_modules/.cache/mega-web-variants', name);
  await rm(path.join(dir, 'src'), { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await cp(path.join(source, 'src'), path.join(dir, 'src'), { recursive: true });
  for (const file of files) await cp(path.join(source, file), path.join(dir, file));
  if (!existsSync(path.join(dir, 'node_modules'))) await symlink(path.join(source, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const changed = path.join(dir, change.file);
  const code = await readFile(changed, 'utf8');
  if (!code.includes(change.from)) throw new Error(`${path.relative(REPO_ROOT, path.join(source, change.file))} no longer has the ${change.from} this test changes`);
  await writeFile(changed, code.replace(change.from, change.to));
  return (await buildWebApp(dir)).outDir;
}
/** The shop's next release: its catalogue link reads "All products". */
const buildShopNext = () => buildNextRelease(path.join(REPO_ROOT, 'remotes/shop'), 'shop-next', ['package.json', 'vite.config.ts'], { file: 'src/app.tsx', from: "label: 'Catalogue'", to: "label: 'All products'" });
/** The shell's next release: its header reads "Mega App Next". */
const buildShellNext = () =>
  buildNextRelease(SHELL_DIR, 'shell-next', ['package.json', 'vite.config.ts', 'index.html', 'pwa-icons.ts'], { file: 'src/shell.tsx', from: '<strong className="brand">Mega App</strong>', to: '<strong className="brand">Mega App Next</strong>' });

/** Cache Storage as the page's origin sees it: cache names and every stored URL. Run in the page (test/ is typed for Node). */
const CACHE_STORAGE = `(async () => {
  const all = {};
  for (const name of await caches.keys()) all[name] = (await (await caches.open(name)).keys()).map((request) => request.url);
  return all;
})()`;
const cacheStorage = (page: Page) => page.evaluate<Record<string, string[]>>(CACHE_STORAGE);
/** Every cache the shell saved in IndexedDB (`mega-cache`/`caches`, cache-persistor.ts), as one text; never creates the database (the shell's store would then be missing). */
const SAVED_DATA = `indexedDB.databases().then((databases) => !databases.some((database) => database.name === 'mega-cache') ? '' : new Promise((resolve) => {
  const open = indexedDB.open('mega-cache');
  open.onsuccess = () => {
    const request = open.result.transaction('caches').objectStore('caches').getAll();
    request.onsuccess = () => { open.result.close(); resolve(request.result.map((saved) => saved.data).join('\\n')); };
    request.onerror = () => resolve('');
  };
  open.onerror = () => resolve('');
}))`;
/** Whether the shell's service worker controls the page. */
const controlled = (page: Page) => page.waitForFunction('navigator.serviceWorker.controller !== null', undefined, { timeout: 20_000 });
/** What an open page does when the connection comes back (app-updates.ts): looks for new versions. */
const checkForUpdates = (page: Page) => page.evaluate("window.dispatchEvent(new Event('online'))");

/**
 * The shell's service worker (shell-web/src/sw.ts): installable, starts with no network at all
 * with the mini-apps opened before, and offers new versions of a mini-app, run whole once accepted.
 */
describe('the installable, offline shell', () => {
  let web: Web;
  let shopNext: StaticServer;
  let nextOutDir: string;
  let shellNextOutDir: string;
  /** The registry's shop URL when set (a release served elsewhere); as generated otherwise. */
  let shopManifestUrl: string | undefined;
  const tokens: Record<string, string> = {};
  const asUser = <T,>(user: keyof typeof tokens, query: string, variables: Record<string, unknown> = {}) => queryAs<T>(web.gatewayUrl, tokens[user]!, query, variables);
  /** Page errors and console errors, not the gateway's answers (the persisted-operation protocol's first try is a 400 here). */
  const collectErrors = (page: Page) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && !message.location().url.startsWith(web.gatewayUrl) && errors.push(message.text()));
    return errors;
  };
  const openApp = async (page: Page, title: string) => {
    await page.getByRole('navigation', { name: 'Mini-apps' }).getByRole('link', { name: new RegExp(title) }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
  };
  /** Alice signed in on a page her worker controls, her conversation with Bob opened once: its id, the page and the text of its last message. */
  const aliceOnHerConversation = async () => {
    const conversationId = directConversationId(await asUser('alice', DIRECT_CONVERSATIONS_QUERY));
    const page = await web.newPage({ serviceWorkers: 'allow' });
    await web.signIn(page, DEMO_USERS.alice);
    await controlled(page);
    await openApp(page, 'Chat');
    await page.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`^${DEMO_USERS.bob.displayName}`) }).click();
    await page.getByRole('heading', { level: 2, name: DEMO_USERS.bob.displayName }).waitFor();
    const lastMessage = (await thread(page).getByRole('listitem').last().innerText()).trim().split('\n').at(-1)!;
    return { conversationId, page, lastMessage };
  };

  beforeAll(async () => {
    const [started, shopNextOutDir, shellNext] = await Promise.all([
      startWeb({
        remotes: ['chat', 'shop'],
        registry: (generated) => ({ ...generated, apps: generated.apps.map((app) => (app.id === 'shop' && shopManifestUrl ? { ...app, manifestUrl: shopManifestUrl } : app)) }),
      }),
      buildShopNext(),
      buildShellNext(),
    ]);
    web = started;
    nextOutDir = shopNextOutDir;
    shellNextOutDir = shellNext;
    shopNext = await serveStatic({ root: nextOutDir, cors: true });
    for (const user of ['alice', 'bob'] as const) tokens[user] = await accessTokenFor(web.gatewayUrl, DEMO_USERS[user]);
  }, 300_000);
  afterAll(async () => {
    await shopNext?.close();
    await web?.stop();
  });

  it('has no installability errors in Chromium', async () => {
    // A persistent profile: Playwright's other contexts are incognito ones, which Chromium never installs from.
    const profile = await mkdtemp(path.join(tmpdir(), 'mega-install-'));
    const context = await chromium.launchPersistentContext(profile, { ...CHROMIUM_LAUNCH_OPTIONS, args: [...CHROMIUM_LAUNCH_OPTIONS.args] });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${web.shellUrl}/`);
      await controlled(page);
      const cdp = await context.newCDPSession(page);
      await expect(cdp.send('Page.getInstallabilityErrors')).resolves.toEqual({ installabilityErrors: [] });
      const manifest = await fetch(`${web.shellUrl}/manifest.webmanifest`);
      expect(manifest.headers.get('content-type')).toBe('application/manifest+json');
      expect(await manifest.json()).toMatchObject({ name: 'Mega App', display: 'standalone', start_url: '/' });
      expect((await fetch(`${web.shellUrl}/sw.js`)).headers.get('cache-control')).toBe('no-cache');
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  });

  it('starts with no network at all: the shell, chat and the shop from the cache with their data; a message written then is sent once when the network is back', { timeout: 120_000 }, async () => {
    const { products } = await asUser<{ products: { edges: { node: { title: string } }[] } }>('alice', '{ products(first: 3) { edges { node { title } } } }');
    const titles = products.edges.map(({ node }) => node.title);
    // Online, once: a conversation in chat, the shop's catalogue.
    const { conversationId, page, lastMessage } = await aliceOnHerConversation();
    const context = page.context();
    await openApp(page, 'Shop');
    for (const title of titles) await page.getByRole('list', { name: 'Products' }).getByRole('heading', { level: 3, name: title }).waitFor();
    const chatOrigin = `http://127.0.0.1:${web.remotes.get('chat')!.port}/`;
    const shopOrigin = `http://127.0.0.1:${web.remotes.get('shop')!.port}/`;
    await eventually(async () => {
      const saved = await page.evaluate<string>(SAVED_DATA);
      for (const text of [lastMessage, ...titles]) expect(saved).toContain(JSON.stringify(text).slice(1, -1));
      const stored = Object.entries(await cacheStorage(page));
      for (const origin of [chatOrigin, shopOrigin]) expect(stored.some(([name, urls]) => name.startsWith('mega-mini-app:') && urls.includes(`${origin}remoteEntry.js`) && urls.includes(`${origin}mf-manifest.json`))).toBe(true);
    });

    const body = `Written offline ${Date.now()}`;
    const sent = async () =>
      (await asUser<{ conversation: { messages: { edges: { node: { body: string } }[] } } }>('bob', 'query($id: ID!) { conversation(id: $id) { messages(first: 100) { edges { node { body } } } } }', { id: conversationId })).conversation.messages.edges.filter(({ node }) => node.body === body);

    // No network at all: every request of the page and of its service worker fails, the mini-apps' servers are down too.
    const refused: string[] = [];
    await context.route('**/*', (route) => {
      refused.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    let offline = true;
    await page.routeWebSocket(web.gatewayUrl.replace(/^http/, 'ws'), (socket) => (offline ? socket.close({ code: 1013, reason: 'offline' }) : socket.connectToServer()));
    await web.stopRemote('chat');
    await web.stopRemote('shop');
    try {
      await page.goto(`${web.appUrl('chat')}/c/${encodeURIComponent(conversationId)}`);
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'Offline' }).waitFor();
      await page.getByRole('heading', { level: 2, name: DEMO_USERS.bob.displayName }).waitFor();
      const input = page.getByRole('textbox', { name: 'Message' });
      await input.fill(body);
      await input.press('Enter');
      await thread(page).locator('li.chat-message', { hasText: body }).getByText('Sending…').waitFor();
      await openApp(page, 'Shop');
      for (const title of titles) await page.getByRole('list', { name: 'Products' }).getByRole('heading', { level: 3, name: title }).waitFor();
      expect(await sent()).toHaveLength(0);
      // The worker did ask the network first (and was refused) before answering from its cache.
      expect(refused).toEqual(expect.arrayContaining([`${chatOrigin}mf-manifest.json`, `${shopOrigin}mf-manifest.json`]));
    } finally {
      // The network is back.
      await context.unrouteAll();
      offline = false;
      await web.startRemote('chat');
      await web.startRemote('shop');
    }

    // Back while the shop shows (no subscription, so no socket to reconnect): the status says Online,
    // not Reconnecting…, and the message goes once.
    await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'Online' }).waitFor({ timeout: 60_000 });
    await eventually(async () => expect(await sent()).toHaveLength(1), 40_000);
    // The conversation shows it sent.
    await page.goBack();
    const message = thread(page).locator('li.chat-message', { hasText: body });
    await message.waitFor();
    await eventually(async () => expect(await message.getByText('Sending…').count()).toBe(0));

    // Nothing of the user's is in Cache Storage: no GraphQL, nothing of the gateway, no media files.
    const gatewayOrigin = new URL(web.gatewayUrl).origin;
    for (const urls of Object.values(await cacheStorage(page))) for (const url of urls) expect(url.startsWith(gatewayOrigin) || url.includes('/graphql') || url.includes('/files/')).toBe(false);
    expect(await sent()).toHaveLength(1);
    await context.close();
  });

  it('loads a mini-app opened for the first time even when its manifest takes longer than the worker waits before using a kept version', { timeout: 120_000 }, async () => {
    const source = readFileSync(path.join(SHELL_DIR, 'src/sw-mini-apps.ts'), 'utf8');
    const timeoutMs = Number(/MANIFEST_NETWORK_TIMEOUT_MS = ([\d_]+);/.exec(source)?.[1]?.replace(/_/g, ''));
    expect(timeoutMs).toBeGreaterThan(0);
    const page = await web.newPage({ serviceWorkers: 'allow' });
    const context = page.context();
    await web.signIn(page, DEMO_USERS.alice);
    await controlled(page);
    // A slow network: the shop's manifest (which this fresh profile never kept) answers a second after the worker's timeout.
    let delayed = 0;
    await context.route('**/mf-manifest.json', async (route) => {
      delayed += 1;
      await new Promise((resolve) => setTimeout(resolve, timeoutMs + 1_000));
      await route.continue();
    });
    await openApp(page, 'Shop');
    await page.getByRole('list', { name: 'Products' }).getByRole('heading', { level: 3 }).first().waitFor({ timeout: 30_000 });
    expect(delayed).toBeGreaterThan(0);
    await context.close();
  });

  it('starts on a network that carries nothing (every request held unanswered): the shell and chat from the cache, then live once answers come', { timeout: 120_000 }, async () => {
    const { conversationId, page, lastMessage } = await aliceOnHerConversation();
    const context = page.context();
    await eventually(async () => expect(await page.evaluate<string>(SAVED_DATA)).toContain(JSON.stringify(lastMessage).slice(1, -1)));

    // Every request of the page and of its worker waits for ever (a captive portal, a train between cells).
    const held: Route[] = [];
    await context.route('**/*', (route) => void held.push(route));
    let carrying = false;
    await page.routeWebSocket(web.gatewayUrl.replace(/^http/, 'ws'), (socket) => (carrying ? void socket.connectToServer() : undefined));
    await page.goto(`${web.appUrl('chat')}/c/${encodeURIComponent(conversationId)}`, { waitUntil: 'commit' });
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 30_000 });
    await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'Offline' }).waitFor({ timeout: 30_000 });
    await thread(page).getByText(lastMessage).first().waitFor({ timeout: 30_000 });
    // The worker asked the network first for the configuration, the registry and chat's manifest, and none was answered.
    const asked = held.map((route) => new URL(route.request().url()).pathname);
    expect(asked).toEqual(expect.arrayContaining(['/config.json', '/mf-manifest.json']));

    // Answers come again: what waited goes on, and the page goes live.
    carrying = true;
    await context.unrouteAll();
    for (const route of held.splice(0)) await route.continue().catch(() => undefined); // ones the page gave up on are gone
    await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'Online' }).waitFor({ timeout: 60_000 });
    await context.close();
  });

  it('offers a new release of a mini-app to an open page, and once accepted runs it whole; a rollback is offered the same way', { timeout: 120_000 }, async () => {
    const page = await web.newPage({ serviceWorkers: 'allow' });
    const errors = collectErrors(page);
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await web.signIn(page, DEMO_USERS.alice);
    await controlled(page);
    await openApp(page, 'Shop');
    const catalogue = (label: string) => page.getByRole('navigation', { name: 'Shop sections' }).getByRole('link', { name: label });
    await catalogue('Catalogue').waitFor();
    const banner = page.getByRole('status', { name: 'Update' });
    const oldOrigin = `http://127.0.0.1:${web.remotes.get('shop')!.port}/`;
    const newOrigin = `${shopNext.origin}/`;

    // Released elsewhere, the registry moved to it: the open page is offered it once the worker has it.
    shopManifestUrl = `${newOrigin}mf-manifest.json`;
    await checkForUpdates(page);
    await banner.getByText('New version available').waitFor();
    await expect(catalogue('Catalogue').count()).resolves.toBe(1);
    errors.length = 0;
    requested.length = 0;
    await banner.getByRole('button', { name: 'Reload' }).click();
    await catalogue('All products').waitFor();
    const shopRequests = requested.filter((url) => url.startsWith(oldOrigin) || url.startsWith(newOrigin));
    expect(shopRequests.filter((url) => url.startsWith(oldOrigin))).toEqual([]);
    expect(shopRequests).toEqual(expect.arrayContaining([`${newOrigin}mf-manifest.json`, `${newOrigin}remoteEntry.js`]));
    expect(shopRequests.some((url) => /\/assets\/app-[\w-]+\.js$/.test(url))).toBe(true);
    expect(errors).toEqual([]);

    // Rolled back in the registry: offered again, and the old release (kept by the worker) runs whole.
    shopManifestUrl = undefined;
    await checkForUpdates(page);
    await banner.getByText('New version available').waitFor();
    requested.length = 0;
    await banner.getByRole('button', { name: 'Reload' }).click();
    await catalogue('Catalogue').waitFor();
    expect(requested.filter((url) => url.startsWith(newOrigin))).toEqual([]);
    expect(requested.some((url) => url === `${oldOrigin}remoteEntry.js`)).toBe(true);

    // Deployed at the same URL (manifest and remote entry keep their names): offered, then the new entry and chunks, none of the old ones.
    const oldOutDir = web.remotes.get('shop')!.outDir;
    await web.deployRemote('shop', nextOutDir);
    await checkForUpdates(page);
    await banner.getByText('New version available').waitFor();
    errors.length = 0;
    requested.length = 0;
    await banner.getByRole('button', { name: 'Reload' }).click();
    await catalogue('All products').waitFor();
    const assets = requested.filter((url) => url.startsWith(`${oldOrigin}assets/`)).map((url) => url.slice(oldOrigin.length));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(existsSync(path.join(nextOutDir, asset)), asset).toBe(true);
    expect(assets.filter((asset) => !existsSync(path.join(oldOutDir, asset)))).toEqual(expect.arrayContaining([expect.stringMatching(/^assets\/app-[\w-]+\.js$/)]));
    expect(errors).toEqual([]);
    await web.deployRemote('shop', oldOutDir);
    await page.context().close();
  });

  it('keeps a page on the release it started with after the browser stopped its idle worker, when a new one was deployed at the same URL meanwhile', { timeout: 120_000 }, async () => {
    const page = await web.newPage({ serviceWorkers: 'allow' });
    await web.signIn(page, DEMO_USERS.alice);
    await controlled(page);
    await openApp(page, 'Shop');
    await page.getByRole('navigation', { name: 'Shop sections' }).getByRole('link', { name: 'Catalogue' }).waitFor();
    const origin = `http://127.0.0.1:${web.remotes.get('shop')!.port}/`;
    const oldOutDir = web.remotes.get('shop')!.outDir;
    // The release's own chunk (the shops' shared chunks have the same names and bytes in both releases).
    const listed = (outDir: string) => (JSON.parse(readFileSync(path.join(outDir, 'mf-manifest.json'), 'utf8')) as { exposes: { assets: { js: { sync: string[] } } }[] }).exposes.flatMap((expose) => expose.assets.js.sync);
    const oldChunk = listed(oldOutDir).find((file) => /^assets\/app-[\w-]+\.js$/.test(file) && !listed(nextOutDir).includes(file))!;
    expect(oldChunk).toBeDefined();

    // Deployed at the same URL: the old release's files are gone from the server, and the worker stored the new one (the page is offered it, and does not reload).
    await web.deployRemote('shop', nextOutDir);
    try {
      expect((await fetch(`${origin}${oldChunk}`)).status).toBe(404);
      await checkForUpdates(page);
      await page.getByRole('status', { name: 'Update' }).getByText('New version available').waitFor();

      // The browser stops the idle worker (as it does after about 30 s); the page's next request starts a new one, which must know the page's release.
      const cdp = await page.context().newCDPSession(page);
      const running = new Map<string, string>();
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        for (const version of versions) running.set(version.versionId, version.runningStatus);
      });
      await cdp.send('ServiceWorker.enable');
      await eventually(() => expect([...running.values()]).toContain('running'));
      await cdp.send('ServiceWorker.stopAllWorkers');
      await eventually(() => expect([...running.values()].every((status) => status === 'stopped')).toBe(true));

      const asked = (file: string) => page.evaluate<{ status: number; text: string }, string>(async (url) => {
        const response = await fetch(url);
        return { status: response.status, text: await response.text() };
      }, `${origin}${file}`);
      // The remote entry of the old release (it names its chunk), and that chunk, which the server no longer has.
      const entry = await asked('remoteEntry.js');
      expect([...running.values()]).toContain('running');
      expect({ status: entry.status, chunk: /assets\/app-[\w-]+\.js/.exec(entry.text)?.[0] }).toEqual({ status: 200, chunk: oldChunk });
      expect(entry.text === readFileSync(path.join(oldOutDir, 'remoteEntry.js'), 'utf8')).toBe(true);
      const chunk = await asked(oldChunk);
      expect(chunk.status).toBe(200);
      expect(chunk.text === readFileSync(path.join(oldOutDir, oldChunk), 'utf8')).toBe(true);
    } finally {
      await web.deployRemote('shop', oldOutDir);
      await page.context().close();
    }
  });

  it('offers a new release of the shell to an open page, and once accepted runs it, its mini-apps too, with no errors', { timeout: 120_000 }, async () => {
    const page = await web.newPage({ serviceWorkers: 'allow' });
    const errors = collectErrors(page);
    await web.signIn(page, DEMO_USERS.alice);
    await controlled(page);
    await openApp(page, 'Shop');
    const brand = page.getByRole('banner').locator('.brand');
    await expect(brand.textContent()).resolves.toBe('Mega App');
    const banner = page.getByRole('status', { name: 'Update' });
    const oldOutDir = web.shellOutDir;

    // Released at the same origin: the open page's check finds the new worker, which waits for the user.
    await web.deployShell(shellNextOutDir);
    try {
      await checkForUpdates(page);
      await banner.getByText('New version available').waitFor();
      await expect(page.evaluate('navigator.serviceWorker.getRegistration().then((registration) => registration?.waiting?.state)')).resolves.toBe('installed');
      await expect(brand.textContent()).resolves.toBe('Mega App');

      await banner.getByRole('button', { name: 'Reload' }).click();
      await page.getByRole('banner').getByText('Mega App Next', { exact: true }).waitFor();
      await page.getByRole('heading', { level: 1, name: 'Shop' }).waitFor();
      await page.getByRole('list', { name: 'Products' }).getByRole('heading', { level: 3 }).first().waitFor();
      await expect(page.evaluate('navigator.serviceWorker.getRegistration().then((registration) => [registration?.active === navigator.serviceWorker.controller, registration?.waiting ?? null])')).resolves.toEqual([true, null]);
      await expect(banner.count()).resolves.toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await web.deployShell(oldOutDir);
      await page.context().close();
    }
  });
});
