import type { WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, eventually, startWeb, type Web } from '@mega/test-utils';
import { openConversation } from '../chat/chat-pages.js';

/** How far the page's clock is moved on: past the access token's lifetime (15 min), not the refresh token's. */
const SKEW_MS = 60 * 60 * 1000;

describe('an access token that expires while the page is open', () => {
  let web: Web;

  beforeAll(async () => {
    web = await startWeb({ remotes: ['chat'] });
  });
  afterAll(() => web?.stop());

  it('is refreshed once for the requests and the reconnecting socket that need it together, and each goes on with the new token', { timeout: 60_000 }, async () => {
    const page = await web.newPage();
    // The page's Date.now can be moved on, so that the session finds its token expired (the gateway's clock stays real).
    await page.addInitScript('(() => { const now = Date.now.bind(Date); globalThis.__megaSkewMs = 0; Date.now = () => now() + globalThis.__megaSkewMs; })()');
    const sockets: WebSocketRoute[] = [];
    /** The authorization each socket's connection_init carried, by socket. */
    const inits: (string | undefined)[] = [];
    await page.routeWebSocket(web.gatewayUrl.replace(/^http/, 'ws'), (socket) => {
      const index = sockets.push(socket) - 1;
      const server = socket.connectToServer();
      socket.onMessage((message) => {
        if (typeof message === 'string' && message.includes('"connection_init"')) inits[index] = (JSON.parse(message) as { payload?: { authorization?: string } }).payload?.authorization;
        server.send(message);
      });
    });
    await web.signIn(page, DEMO_USERS.alice);
    await openConversation(web, page, DEMO_USERS.bob.displayName);
    await eventually(() => expect(inits.at(-1)).toMatch(/^Bearer /)); // the thread's live messages
    const connection = page.getByRole('status', { name: 'Connection' });
    await connection.filter({ hasText: 'Online' }).waitFor();
    // (The lazy socket may have closed and opened again while the chat's subscriptions changed: the last one is the live one.)
    const live = sockets.length - 1;

    // The refresh is held until the socket is back and waiting for a token too.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let refreshes = 0;
    let refreshed: string | undefined;
    await page.route(web.gatewayUrl, async (route) => {
      const body = route.request().postData() ?? '';
      if (!body.includes('"refreshToken"')) return route.fallback();
      // One refresh is one request by its persisted id (then one with its text, where the gateway does not know the id).
      if (!body.includes('"query"')) refreshes += 1;
      await held;
      const response = await route.fetch();
      const json = (await response.json()) as { data?: { refreshSession?: { accessToken: string } } };
      refreshed = json.data?.refreshSession?.accessToken ?? refreshed;
      return route.fulfill({ response, json });
    });
    const sentWith: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(web.gatewayUrl) && request.method() === 'POST' && !(request.postData() ?? '').includes('"refreshToken"')) sentWith.push(request.headers().authorization ?? 'none');
    });

    // An hour later: the socket drops (the thread's subscription needs it back) and a message is sent (over HTTP) at once.
    await page.evaluate(`globalThis.__megaSkewMs = ${SKEW_MS}`);
    await sockets[live]!.close({ code: 1012, reason: 'service restart' });
    const body = `After an hour ${Date.now()}`;
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill(body);
    await input.press('Enter');
    await eventually(() => expect(refreshes).toBe(1));
    await eventually(() => expect(sockets.length).toBe(live + 2), 20_000); // reconnected, its connection_init waiting for the token
    release();

    await page.locator('li.chat-message', { hasText: body }).locator('time').waitFor(); // sent (no longer "Sending…")
    await eventually(() => expect(inits[live + 1]).toBe(`Bearer ${refreshed}`));
    await connection.filter({ hasText: 'Online' }).waitFor();
    expect(refreshes).toBe(1);
    expect(refreshed).toMatch(/^ey/);
    expect(sentWith.length).toBeGreaterThanOrEqual(2);
    expect(new Set(sentWith)).toEqual(new Set([`Bearer ${refreshed}`]));
    await page.context().close();
  });
});
