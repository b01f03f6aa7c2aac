/**
 * `pnpm bench:offline`: how long the installed shell takes to start with no network at all
 * (docs/benchmarks.md#offline-start). In headless Chromium, on production builds:
 * 1. Alice signs in, the shell's service worker takes the page, she opens chat once (its code and
 *    the cache of her data are kept) and a conversation in it;
 * 2. every request of the page and of its worker is refused from then on, the WebSocket too
 *    (request interception: the browser still believes it is online, the worse case for the app);
 * 3. the chat page is loaded N times; each load reports, from navigation start, when the signed-in
 *    shell first shows (its Sign out button), the cache restore's User Timing mark
 *    (`mega:cache-restored`, cache-persistor.ts) and when chat's open conversation first shows its messages.
 *
 * Env: BENCH_OFFLINE_RUNS (loads, default 7).
 */
import type { Page } from 'playwright-core';
import { DEMO_USERS, startWeb } from '@mega/test-utils';

const RUNS = Number(process.env.BENCH_OFFLINE_RUNS ?? 7);

/** Runs in the page before its scripts: notes when the shell and chat's list first show (ms from navigation start). Text: this folder is typed for Node. */
const RECORD_FIRST_RENDER = `(() => {
  const seen = {};
  globalThis.__megaFirstRender = seen;
  const check = () => {
    if (seen.shell === undefined && [...document.querySelectorAll('header button')].some((button) => button.textContent === 'Sign out')) seen.shell = performance.now();
    if (seen.chat === undefined && document.querySelector('[aria-label^="Messages with"] li')) seen.chat = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
})()`;
const FIRST_RENDER = `(() => {
  const seen = globalThis.__megaFirstRender;
  const restored = performance.getEntriesByName('mega:cache-restored')[0];
  return seen && seen.shell !== undefined && seen.chat !== undefined && restored ? { shell: seen.shell, restored: restored.startTime, chat: seen.chat } : null;
})()`;

/** Whether the shell's saved cache (IndexedDB `mega-cache`/`caches`) holds chat's conversations and messages; never creates the database. */
const SAVED_CONVERSATIONS = `indexedDB.databases().then((databases) => !databases.some((database) => database.name === 'mega-cache') ? false : new Promise((resolve) => {
  const open = indexedDB.open('mega-cache');
  open.onsuccess = () => {
    const request = open.result.transaction('caches').objectStore('caches').getAll();
    request.onsuccess = () => { open.result.close(); resolve(request.result.some((saved) => saved.data.includes('"conversations') && saved.data.includes('"messages'))); };
    request.onerror = () => resolve(false);
  };
  open.onerror = () => resolve(false);
}))`;

/** Waits until the page expression (it may be a promise) is true: `waitForFunction` takes a promise for true at once. */
async function until(page: Page, expression: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(expression))) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${expression.slice(0, 80)}`);
    await page.waitForTimeout(100);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  await using web = await startWeb({ remotes: ['chat'] });
  const page = await web.newPage({ serviceWorkers: 'allow' });
  const context = page.context();
  page.setDefaultTimeout(30_000);
  await web.signIn(page, DEMO_USERS.alice);
  await page.waitForFunction('navigator.serviceWorker.controller !== null');
  await page.goto(web.appUrl('chat'));
  await page.getByRole('list', { name: 'Conversations' }).getByRole('link').first().click();
  await page.getByRole('list', { name: /^Messages with/ }).getByRole('listitem').first().waitFor();
  const conversationUrl = page.url();
  // The worker keeps chat's files; the persistor saves the conversations (debounced 1 s).
  await until(page, `caches.keys().then((names) => names.some((name) => name.startsWith('mega-mini-app:')))`);
  await until(page, SAVED_CONVERSATIONS);

  await context.route('**/*', (route) => route.abort('internetdisconnected'));
  await page.routeWebSocket(/.*/, (socket) => socket.close({ code: 1013, reason: 'offline' }));
  await page.addInitScript(RECORD_FIRST_RENDER);
  const loads: { shell: number; restored: number; chat: number }[] = [];
  for (let run = 0; run < RUNS; run++) {
    await page.goto(conversationUrl);
    const handle = await page.waitForFunction(FIRST_RENDER).catch(async (error: unknown) => {
      console.error(await page.evaluate(`JSON.stringify({ seen: globalThis.__megaFirstRender, marks: performance.getEntriesByType('mark').map((mark) => [mark.name, mark.detail]), text: document.body.innerText.slice(0, 300) })`));
      throw error;
    });
    loads.push((await handle.jsonValue()) as { shell: number; restored: number; chat: number });
  }
  const summary = {
    runs: RUNS,
    shellMs: Math.round(median(loads.map((load) => load.shell))),
    cacheRestoredMs: Math.round(median(loads.map((load) => load.restored))),
    chatMessagesMs: Math.round(median(loads.map((load) => load.chat))),
    loads: loads.map((load) => ({ shell: Math.round(load.shell), restored: Math.round(load.restored), chat: Math.round(load.chat) })),
  };
  console.log(JSON.stringify(summary, null, 2));
  console.log(`Offline start, median of ${RUNS} (from navigation start): shell ${summary.shellMs} ms, cache restored ${summary.cacheRestoredMs} ms, chat's messages ${summary.chatMessagesMs} ms.`);
}

await main();
