import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, launchChromium, REPO_ROOT, startFederation, startMiniAppDevServer, type Federation, type MiniAppDevServer } from '@mega/test-utils';

describe('a mini-app\'s dev script runs it alone in the dev host, against the gateway', () => {
  let federation: Federation;
  let dev: MiniAppDevServer;
  let browser: Browser;

  beforeAll(async () => {
    // No CORS entry for the dev server: its page calls /graphql on its own origin, which it forwards.
    federation = await startFederation({ seed: true });
    dev = await startMiniAppDevServer(path.join(REPO_ROOT, 'remotes/chat'), federation.gatewayUrl);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await dev?.stop();
    await federation?.stop();
  });

  it('signs in with a demo login and renders the mini-app with its context and the shell\'s client, subscriptions included', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const socketAccepted = page
      .waitForEvent('websocket', (socket) => new URL(socket.url()).pathname === '/graphql')
      .then((socket) => socket.waitForEvent('framereceived', (frame) => String(frame.payload).includes('"connection_ack"')));
    await page.goto(`${dev.url}/`);
    await page.getByLabel('Email').fill(DEMO_USERS.alice.email);
    await page.getByLabel('Password').fill(DEMO_USERS.alice.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Chat' }).waitFor();
    // The app's route: the dev host navigated to it, as the shell mounts it there.
    expect(new URL(page.url()).pathname).toBe('/chat');
    const conversations = page.getByRole('list', { name: 'Conversations' });
    await conversations.locator('li strong').first().waitFor();
    await expect(conversations.locator('li strong').allTextContents()).resolves.toContain(DEMO_USERS.bob.displayName);
    // The chat's live subscriptions: graphql-ws through the dev server's forwarding, accepted by the gateway.
    await socketAccepted;
    await page.getByRole('status', { name: 'Connection' }).getByText('Online').waitFor();
    expect(errors).toEqual([]);
  });
});
