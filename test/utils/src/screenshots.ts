/**
 * `pnpm screenshots`: pictures of the shell and each mini-app at a desktop and a phone width, from
 * production builds on an in-process, seeded federation, written to docs/screenshots/ (the README
 * and docs/mini-apps.md show them). Run it after a visible change and commit the pictures.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_USERS } from '@mega/subgraph-kit/demo';
import { REPO_ROOT } from './services.js';
import { startWeb } from './web.js';

const OUT = path.join(REPO_ROOT, 'docs/screenshots');
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

/** What each picture shows: how to get there from a signed-in shell, and what to wait for. */
const SCENES: { name: string; show: (page: Page, appUrl: (id: string) => string) => Promise<void> }[] = [
  {
    name: 'chat',
    show: async (page, appUrl) => {
      await page.goto(appUrl('chat'));
      await page.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: /^Weekend trip/ }).click();
      await page.getByRole('list', { name: /^Messages with/ }).locator('li.chat-message').first().waitFor();
    },
  },
  {
    name: 'media',
    show: async (page, appUrl) => {
      await page.goto(appUrl('media'));
      await page.getByRole('list', { name: 'Your media' }).getByRole('img').first().waitFor();
    },
  },
  {
    name: 'shop',
    show: async (page, appUrl) => {
      await page.goto(appUrl('shop'));
      await page.getByRole('list', { name: 'Products' }).locator('img').first().waitFor();
    },
  },
  {
    name: 'shop-product',
    show: async (page, appUrl) => {
      await page.goto(appUrl('shop'));
      await page.getByRole('list', { name: 'Products' }).getByRole('link').first().click();
      await page.getByRole('button', { name: 'Share in chat' }).waitFor();
    },
  },
];

await mkdir(OUT, { recursive: true });
await using web = await startWeb();
const browser = await web.browser();
for (const [width, viewport] of Object.entries(VIEWPORTS)) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${web.shellUrl}/`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await page.screenshot({ path: path.join(OUT, `sign-in-${width}.png`) });
  await web.signIn(page, DEMO_USERS.alice);
  for (const scene of SCENES) {
    await scene.show(page, (id) => web.appUrl(id));
    // Pictures decoded and fonts laid out, so the screenshot is what a person sees.
    await page.waitForLoadState('networkidle');
    await page.evaluate(async () => {
      const images = [...(globalThis as unknown as { document: { images: Iterable<{ decode(): Promise<void> }> } }).document.images];
      await Promise.all(images.map((image) => image.decode().catch(() => undefined)));
    });
    const file = path.join(OUT, `${scene.name}-${width}.png`);
    await page.screenshot({ path: file });
    console.log(path.relative(REPO_ROOT, file));
  }
  await context.close();
}
