/**
 * `pnpm bench:web`: what a browser user pays for the web shell, on production builds served from
 * localhost (docs/benchmarks.md#the-web-shell):
 * - the shell's initial JS and CSS (gzip) before any mini-app, at sign-in and once signed in;
 * - the time from navigation start to the first mini-app being interactive (median of N loads);
 * - Lighthouse 12 performance and accessibility scores (desktop and mobile presets) of the
 *   signed-in shell showing the chat mini-app.
 * Targets (issue 5): ≤ 150 KB (150,000 bytes) at both, ≤ 1.5 s, performance ≥ 90, accessibility ≥ 95
 * in both presets; the report says which are met.
 *
 * Env: BENCH_WEB_RUNS (loads per timing, default 7).
 */
import { gzipSync } from 'node:zlib';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import puppeteer, { type Page as PuppeteerPage } from 'puppeteer-core';
import type { Page } from 'playwright-core';
import { CHROMIUM_LAUNCH_OPTIONS, DEMO_USERS, startWeb } from '@mega/test-utils';

const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 7);
const TARGETS = { initialKB: 150, interactiveMs: 1500, performance: 90, accessibility: 95 };

interface Transfer {
  url: string;
  kind: 'script' | 'stylesheet';
  bytes: number;
  gzipBytes: number;
}

/** Every script and stylesheet the page fetches while `action` runs, with its gzip size. */
async function recordAssets(page: Page, action: () => Promise<void>): Promise<Transfer[]> {
  const pending: Promise<Transfer | null>[] = [];
  const onResponse = (response: Awaited<ReturnType<Page['waitForResponse']>>) => {
    const kind = response.request().resourceType();
    if (kind !== 'script' && kind !== 'stylesheet') return;
    pending.push(
      response.body().then(
        (body) => ({ url: response.url(), kind, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length }),
        () => null,
      ),
    );
  };
  page.on('response', onResponse);
  await action();
  await page.waitForLoadState('networkidle');
  page.off('response', onResponse);
  return (await Promise.all(pending)).filter((transfer): transfer is Transfer => transfer !== null);
}

const kib = (bytes: number) => bytes / 1024;
const sum = (transfers: Transfer[], key: 'bytes' | 'gzipBytes') => transfers.reduce((total, transfer) => total + transfer[key], 0);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  await using web = await startWeb();
  const browser = await web.browser();

  // 1. The shell's own JS and CSS, before any mini-app.
  const context = await browser.newContext();
  const page = await context.newPage();
  const signInAssets = await recordAssets(page, async () => {
    await page.goto(`${web.shellUrl}/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });
  await page.getByLabel('Email').fill(DEMO_USERS.alice.email);
  await page.getByLabel('Password').fill(DEMO_USERS.alice.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Choose a mini-app.').waitFor();
  const shellAssets = await recordAssets(page, async () => {
    await page.goto(`${web.shellUrl}/`);
    await page.getByText('Choose a mini-app.').waitFor();
  });
  const remoteOrigins = [...web.remotes.values()].map((remote) => `http://127.0.0.1:${remote.port}/`);
  if (shellAssets.some((transfer) => remoteOrigins.some((origin) => transfer.url.startsWith(origin)))) throw new Error('a mini-app was loaded before one was chosen');

  // 2. Navigation start to the first mini-app interactive: the chat's conversations listed and its links clickable.
  const interactive: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await page.goto(web.appUrl('chat'));
    const link = page.getByRole('list', { name: 'Conversations' }).getByRole('link').first();
    await link.waitFor();
    interactive.push(await link.evaluate(() => performance.now()));
  }
  await context.close();

  // 3. Lighthouse on the signed-in shell showing chat (its storage kept: the session's refresh token).
  const chrome = await puppeteer.launch({ executablePath: CHROMIUM_LAUNCH_OPTIONS.executablePath, args: [...CHROMIUM_LAUNCH_OPTIONS.args], headless: true });
  const lighthousePage: PuppeteerPage = await chrome.newPage();
  await lighthousePage.goto(`${web.shellUrl}/`);
  await lighthousePage.waitForSelector('input[name="email"], input[type="email"]');
  await lighthousePage.type('input[type="email"]', DEMO_USERS.alice.email);
  await lighthousePage.type('input[type="password"]', DEMO_USERS.alice.password);
  await lighthousePage.click('button[type="submit"]');
  await lighthousePage.waitForFunction(() => (globalThis as unknown as { document: { body: { textContent: string | null } } }).document.body.textContent?.includes('Sign out'));
  const scores: Record<string, { performance: number; accessibility: number; lcpMs: number; tbtMs: number; cls: number }> = {};
  for (const [preset, config] of [
    ['desktop', desktopConfig],
    ['mobile', undefined],
  ] as const) {
    const result = await lighthouse(web.appUrl('chat'), { output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'], disableStorageReset: true }, config, lighthousePage);
    const lhr = result!.lhr;
    scores[preset] = {
      performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
      lcpMs: Math.round(Number(lhr.audits['largest-contentful-paint']?.numericValue ?? 0)),
      tbtMs: Math.round(Number(lhr.audits['total-blocking-time']?.numericValue ?? 0)),
      cls: Number((lhr.audits['cumulative-layout-shift']?.numericValue ?? 0).toFixed(3)),
    };
    const failing = Object.values(lhr.audits).filter((audit) => audit.score !== null && audit.score < 1 && lhr.categories.accessibility?.auditRefs.some((ref) => ref.id === audit.id));
    if (failing.length > 0) console.log(`${preset} accessibility audits not passed: ${failing.map((audit) => audit.id).join(', ')}`);
  }
  await chrome.close();

  const report = {
    initial: {
      signIn: { files: signInAssets.length, kib: kib(sum(signInAssets, 'bytes')), gzipKiB: kib(sum(signInAssets, 'gzipBytes')) },
      signedIn: { files: shellAssets.length, kib: kib(sum(shellAssets, 'bytes')), gzipKiB: kib(sum(shellAssets, 'gzipBytes')) },
    },
    firstMiniAppInteractiveMs: { median: Math.round(median(interactive)), runs: interactive.map(Math.round) },
    lighthouse: scores,
  };
  const targetsMet = {
    initial: [signInAssets, shellAssets].every((assets) => sum(assets, 'gzipBytes') <= TARGETS.initialKB * 1000),
    firstMiniAppInteractive: report.firstMiniAppInteractiveMs.median <= TARGETS.interactiveMs,
    lighthouse: Object.values(scores).every((score) => score.performance >= TARGETS.performance && score.accessibility >= TARGETS.accessibility),
  };
  const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');
  const largest = [...shellAssets].sort((a, b) => b.gzipBytes - a.gzipBytes).slice(0, 8);
  console.log(`
The web shell (production builds on localhost, Chromium ${await browser.version()})

  initial JS+CSS before any mini-app   at sign-in ${report.initial.signIn.gzipKiB.toFixed(1)} KiB gzip (${report.initial.signIn.files} files, ${report.initial.signIn.kib.toFixed(1)} KiB raw)
                                      signed in  ${report.initial.signedIn.gzipKiB.toFixed(1)} KiB gzip (${report.initial.signedIn.files} files, ${report.initial.signedIn.kib.toFixed(1)} KiB raw)   target ≤ ${TARGETS.initialKB} KB: ${met(targetsMet.initial)}
  navigation start to chat interactive  median ${report.firstMiniAppInteractiveMs.median} ms of ${RUNS} (${report.firstMiniAppInteractiveMs.runs.join(', ')})   target ≤ ${TARGETS.interactiveMs} ms: ${met(targetsMet.firstMiniAppInteractive)}
  Lighthouse 12 (signed in, /chat)      desktop: performance ${scores.desktop!.performance}, accessibility ${scores.desktop!.accessibility} (LCP ${scores.desktop!.lcpMs} ms, TBT ${scores.desktop!.tbtMs} ms, CLS ${scores.desktop!.cls})
                                        mobile:  performance ${scores.mobile!.performance}, accessibility ${scores.mobile!.accessibility} (LCP ${scores.mobile!.lcpMs} ms, TBT ${scores.mobile!.tbtMs} ms, CLS ${scores.mobile!.cls})   targets ≥ ${TARGETS.performance}, ≥ ${TARGETS.accessibility}: ${met(targetsMet.lighthouse)}

  largest shell files (gzip): ${largest.map((transfer) => `${new URL(transfer.url).pathname.split('/').pop()} ${kib(transfer.gzipBytes).toFixed(1)} KiB`).join(', ')}
`);
  console.log(JSON.stringify({ ...report, targetsMet }));
}

await main();
