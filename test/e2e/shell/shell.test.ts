import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, freePort, REPO_ROOT, startFederation, type Federation } from '@mega/test-utils';

/** Debian's Chromium, as DESIGN.md says (no browser is downloaded). */
const CHROMIUM = { executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] };
const SHELL = path.join(REPO_ROOT, 'shell-web');
const CHAT = path.join(REPO_ROOT, 'remotes/chat');

/**
 * A production build by vite's own command, in its own process, without vitest's environment: the
 * Module Federation plugin turns itself off when it sees VITEST or NODE_ENV=test.
 */
async function buildApp(root: string, env: Record<string, string> = {}): Promise<void> {
  const vite = path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js');
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'TEST'));
  const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: root, env: { ...clean, ...env, NODE_ENV: 'production' }, stdio: ['ignore', 'inherit', 'inherit'] });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`vite build of ${root} exited with ${code}`);
}

const serve = (root: string, port: number) =>
  preview({ root, configFile: path.join(root, 'vite.config.ts'), logLevel: 'error', preview: { port, strictPort: true, host: '127.0.0.1' } });

describe('the shell loads mini-apps from the registry at run time', () => {
  let browser: Browser;
  let page: Page;
  const servers: PreviewServer[] = [];
  let shellUrl: string;
  let chatPort: number;
  let federation: Federation;

  beforeAll(async () => {
    chatPort = await freePort();
    const shellPort = await freePort();
    shellUrl = `http://127.0.0.1:${shellPort}`;
    federation = await startFederation({ seed: true, gateway: { cors: { origins: [shellUrl] } } });
    await buildApp(CHAT, { MINI_APP_BASE: `http://127.0.0.1:${chatPort}/` });
    await buildApp(SHELL);
    const app = { icon: '💬', sdk: '^1.0.0', capabilities: ['session', 'graphql', 'navigation'] };
    const registry = {
      version: 1,
      apps: [
        { ...app, id: 'chat', title: 'Chat', route: '/chat', manifestUrl: `http://127.0.0.1:${chatPort}/mf-manifest.json` },
        { ...app, id: 'future', title: 'Future', route: '/future', manifestUrl: `http://127.0.0.1:${chatPort}/mf-manifest.json`, sdk: '^2.0.0' },
      ],
    };
    await writeFile(path.join(SHELL, 'dist/registry.json'), JSON.stringify(registry));
    await writeFile(path.join(SHELL, 'dist/config.json'), JSON.stringify({ gatewayUrl: federation.gatewayUrl, registryUrl: '/registry.json' }));
    servers.push(await serve(SHELL, shellPort));
    browser = await chromium.launch(CHROMIUM);
    page = await browser.newPage();
    page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((server) => server.close()));
    await federation?.stop();
  });

  it('says so when the gateway cannot be reached, instead of a browser error', async () => {
    await page.goto(`${shellUrl}/`);
    await page.route(federation.gatewayUrl, (route) => route.abort());
    await page.getByLabel('Email').fill(DEMO_USERS.alice.email);
    await page.getByLabel('Password').fill(DEMO_USERS.alice.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('The sign-in service cannot be reached; check the connection and try again.');
    await page.unroute(federation.gatewayUrl);
  });

  it('signs in through the gateway, refusing a wrong password with its message', async () => {
    await page.goto(`${shellUrl}/`);
    await page.getByLabel('Email').fill(DEMO_USERS.alice.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/email|password/i);
    await page.getByLabel('Password').fill(DEMO_USERS.alice.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await expect(page.getByRole('banner').textContent()).resolves.toContain(DEMO_USERS.alice.displayName);
  });

  it('lists the mini-apps it can run, and says why it does not load one whose SDK range it does not satisfy', async () => {
    await page.goto(`${shellUrl}/`);
    await page.getByRole('link', { name: 'Chat' }).waitFor();
    await expect(page.getByRole('link', { name: 'Future' }).count()).resolves.toBe(0);
    const refused = page.getByRole('list', { name: 'Unavailable mini-apps' });
    await expect(refused.textContent()).resolves.toContain('Future: Future needs a newer or older shell (it works with SDK ^2.0.0; this shell provides 1.0.0).');
  });

  it('keeps a mini-app whose server is down in its slot with a retry, which loads it once the server is up, on the shell\'s one React', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${shellUrl}/chat`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('Chat could not be loaded.');
    // The shell itself still works meanwhile.
    await expect(page.getByRole('navigation', { name: 'Mini-apps' }).isVisible()).resolves.toBe(true);

    servers.push(await serve(CHAT, chatPort));
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('heading', { name: 'Chat' }).waitFor();
    // The mini-app queries through the shell's one client (its ApolloProvider), as the signed-in
    // user, with hooks that work only on the shell's React (one instance, shared).
    await page.getByText(`Chatting as ${DEMO_USERS.alice.displayName}.`).waitFor();
    const conversations = page.getByRole('list', { name: 'Conversations' });
    const names = await conversations.locator('li strong').allTextContents();
    expect(names.sort()).toEqual([DEMO_USERS.bob.displayName, 'Weekend trip'].sort());
    await expect(conversations.textContent()).resolves.not.toContain(DEMO_USERS.dave.displayName);
    expect(errors).toEqual([]);
  });

  it('stays signed in across a reload, and signs out', async () => {
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await expect(page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(0);
  });
});
