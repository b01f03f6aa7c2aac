import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SDK_VERSION, type Registry } from '@mega/mini-app-sdk';
import { DEMO_USERS, freePort, startWeb, type Web } from '@mega/test-utils';

/** An entry for a mini-app whose SDK range this shell does not satisfy (its manifest is chat's). */
const withFuture = (registry: Registry) => {
  const chat = registry.apps.find((app) => app.id === 'chat')!;
  return { ...registry, apps: [...registry.apps, { ...chat, id: 'future', title: 'Future', route: '/future', sdk: '^2.0.0', handles: [] }] };
};

describe('the shell loads mini-apps from the registry at run time', () => {
  let web: Web;
  let page: Page;

  beforeAll(async () => {
    web = await startWeb({ remotes: ['chat', 'media'], stopped: ['chat'], registry: withFuture });
    page = await web.newPage();
  });
  afterAll(async () => {
    await web?.stop();
  });

  it('says so when the gateway cannot be reached, instead of a browser error', async () => {
    await page.goto(`${web.shellUrl}/`);
    await page.route(web.gatewayUrl, (route) => route.abort());
    await page.getByLabel('Email').fill(DEMO_USERS.alice.email);
    await page.getByLabel('Password').fill(DEMO_USERS.alice.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('The sign-in service cannot be reached; check the connection and try again.');
    await page.unroute(web.gatewayUrl);
  });

  it('signs up a new account, refusing an email that is taken, and the new account signs in again later', async () => {
    const signUpPage = await web.newPage();
    await signUpPage.goto(`${web.shellUrl}/`);
    await signUpPage.getByRole('button', { name: 'New here? Create an account' }).click();
    await signUpPage.getByRole('heading', { name: 'Create your Mega App account' }).waitFor();
    const fill = async (email: string) => {
      await signUpPage.getByLabel('Display name').fill('Erin Example');
      await signUpPage.getByLabel('Handle').fill(email.startsWith('erin') ? 'erin_example' : 'someone_else');
      await signUpPage.getByLabel('Email').fill(email);
      await signUpPage.getByLabel('Password').fill('a-long-enough-password');
      await signUpPage.getByRole('button', { name: 'Sign up' }).click();
    };
    await fill(DEMO_USERS.alice.email);
    await signUpPage.getByRole('alert').waitFor();
    await expect(signUpPage.getByRole('alert').textContent()).resolves.toMatch(/email|taken|exists/i);

    await fill('erin@example.com');
    await signUpPage.getByRole('button', { name: 'Sign out' }).waitFor();
    await expect(signUpPage.getByRole('banner').textContent()).resolves.toContain('Erin Example');
    await signUpPage.getByRole('button', { name: 'Sign out' }).click();
    await web.signIn(signUpPage, { email: 'erin@example.com', password: 'a-long-enough-password' });
    await expect(signUpPage.getByRole('banner').textContent()).resolves.toContain('Erin Example');
    await signUpPage.context().close();
  });

  it('signs in through the gateway, refusing a wrong password with its message', async () => {
    await page.goto(`${web.shellUrl}/`);
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
    await page.goto(`${web.shellUrl}/`);
    await page.getByRole('link', { name: 'Chat' }).waitFor();
    await expect(page.getByRole('link', { name: 'Future' }).count()).resolves.toBe(0);
    const refused = page.getByRole('list', { name: 'Unavailable mini-apps' });
    await expect(refused.textContent()).resolves.toContain(`Future: Future needs a newer or older shell (it works with SDK ^2.0.0; this shell provides ${SDK_VERSION}).`);
  });

  it('keeps a mini-app whose server is down in its slot with a retry, which loads it once the server is up, on the shell\'s one React', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(web.appUrl('chat'));
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('Chat could not be loaded.');
    // The shell and the other mini-apps still work meanwhile.
    const nav = page.getByRole('navigation', { name: 'Mini-apps' });
    await nav.getByRole('link', { name: 'Media' }).click();
    await page.getByRole('heading', { level: 1, name: 'Media' }).waitFor();
    await page.getByRole('list', { name: 'Your media' }).getByRole('img').first().waitFor();
    await nav.getByRole('link', { name: 'Chat' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Chat could not be loaded.');

    await web.startRemote('chat');
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('heading', { name: 'Chat' }).waitFor();
    // The mini-app queries through the shell's one client (its ApolloProvider), as the signed-in
    // user (a direct conversation is named after the other member), with hooks that work only on
    // the shell's React (one instance, shared).
    const conversations = page.getByRole('list', { name: 'Conversations' });
    await conversations.locator('li strong').first().waitFor();
    const names = await conversations.locator('li strong').allTextContents();
    expect(names.sort()).toEqual([DEMO_USERS.bob.displayName, 'Weekend trip'].sort());
    await expect(conversations.textContent()).resolves.not.toContain(DEMO_USERS.dave.displayName);
    expect(errors).toEqual([]);
  });

  it('shows the connection: offline while the gateway cannot be reached, online again once it answers', async () => {
    const status = page.getByRole('status', { name: 'Connection' });
    await page.goto(web.appUrl('chat'));
    const conversations = page.getByRole('list', { name: 'Conversations' });
    await conversations.getByRole('link').first().waitFor();
    await expect(status.textContent()).resolves.toBe('Online');

    await page.route(web.gatewayUrl, (route) => route.abort('internetdisconnected'));
    await conversations.getByRole('link', { name: /^Weekend trip/ }).click();
    await page.getByRole('status', { name: 'Connection' }).getByText('Offline').waitFor();

    await page.unroute(web.gatewayUrl);
    await conversations.getByRole('link', { name: new RegExp(`^${DEMO_USERS.bob.displayName}`) }).click();
    await page.getByRole('status', { name: 'Connection' }).getByText('Online').waitFor();
  });

  it('loads the same build of a mini-app moved to another port, by a change of the registry alone', async () => {
    const before = web.remotes.get('chat')!;
    const { outDir } = before;
    const oldManifest = before.manifestUrl;
    await web.startRemote('chat', { port: await freePort() });
    expect(web.remotes.get('chat')!.outDir).toBe(outDir);
    expect(web.remotes.get('chat')!.manifestUrl).not.toBe(oldManifest);

    // A fresh context: nothing of the old origin is cached. Every script of the mini-app comes from its new origin.
    const moved = await web.newPage();
    const scripts: string[] = [];
    moved.on('request', (request) => {
      if (request.resourceType() === 'script' || request.url().endsWith('mf-manifest.json')) scripts.push(request.url());
    });
    await web.signIn(moved);
    await moved.goto(web.appUrl('chat'));
    await moved.getByRole('list', { name: 'Conversations' }).locator('li strong').first().waitFor();
    const newOrigin = new URL(web.remotes.get('chat')!.manifestUrl).origin;
    const fromRemote = scripts.filter((url) => !url.startsWith(web.shellUrl));
    expect(fromRemote).toContain(`${newOrigin}/mf-manifest.json`);
    expect(fromRemote.some((url) => url.startsWith(`${newOrigin}/assets/`))).toBe(true);
    expect(fromRemote.filter((url) => !url.startsWith(newOrigin))).toEqual([]);
    await moved.context().close();
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
