import type { Locator, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, DEMO_USERS, eventually, postGraphQL, startWeb, type Web } from '@mega/test-utils';
import { encodePng } from '../../../subgraphs/media/src/images/png.js';

interface ServerAsset {
  id: string;
  title: string;
  url: string | null;
  width: number | null;
  height: number | null;
}

/** A small PNG of `width` × `height` with horizontal stripes. */
function stripedPng(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let pixel = 0; pixel < width * height; pixel += 1) data.set([(pixel * 7) % 256, 90, Math.floor(pixel / width) % 2 ? 220 : 60, 255], pixel * 4);
  return encodePng({ width, height, data });
}

/** A short 440 Hz tone as an 8-bit mono PCM WAV file. */
function toneWav(durationMs: number, sampleRate = 8000): Buffer {
  const samples = Buffer.alloc(Math.round((sampleRate * durationMs) / 1000));
  for (let i = 0; i < samples.length; i += 1) samples[i] = 128 + Math.round(100 * Math.sin((2 * Math.PI * 440 * i) / sampleRate));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate, 28); // bytes per second
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits per sample
  header.write('data', 36);
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}

/** Whether an image element has loaded its picture. */
const loaded = (image: Locator) => image.evaluate((element: { complete: boolean; naturalWidth: number }) => element.complete && element.naturalWidth > 0);

/** Whether an element has the focus. */
const focused = (locator: Locator) => locator.evaluate((element: { ownerDocument: { activeElement: unknown } }) => element === element.ownerDocument.activeElement);

/** How wide the page's content is: wider than the window means sideways scrolling. */
const pageWidth = (page: Page) => page.locator('html').evaluate((html: { scrollWidth: number }) => html.scrollWidth);

/**
 * Holds the browser's PATCH requests to the upload endpoint (its bytes) until `release()`, so a
 * test can see what the page shows while an upload is PENDING. Other requests pass.
 */
async function holdUploadBytes(page: Page) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  const handler = async (route: Route) => {
    if (route.request().method() === 'PATCH') {
      held += 1;
      await released;
    }
    await route.continue().catch(() => undefined); // an upload cancelled meanwhile was aborted by the page
  };
  await page.route('**/uploads/**', handler);
  return {
    held: () => held,
    release: async () => {
      release();
      await page.unroute('**/uploads/**', handler);
    },
  };
}

describe('the media mini-app in the shell', () => {
  let web: Web;
  let page: Page;
  let token: string;

  /** Alice's media as the gateway has it (the server's state, not what the page shows). */
  async function serverMedia(): Promise<ServerAsset[]> {
    const response = await postGraphQL<{ myMedia: { edges: { node: ServerAsset }[] } }>(
      web.gatewayUrl,
      { query: '{ myMedia(first: 100) { edges { node { id title url width height } } } }' },
      { authorization: `Bearer ${token}` },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.myMedia.edges.map((edge) => edge.node);
  }

  const grid = () => page.getByRole('list', { name: 'Your media' });
  const tileTitles = () => grid().locator('.media-tile-title').allTextContents();
  const uploads = () => page.getByRole('list', { name: 'Uploads' });

  async function chooseFile(file: { name: string; mimeType: string; buffer: Buffer }) {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Upload…' }).click();
    await (await chooser).setFiles(file);
  }

  beforeAll(async () => {
    web = await startWeb({ remotes: ['media', 'chat'] });
    token = await accessTokenFor(web.gatewayUrl, DEMO_USERS.alice);
    page = await web.newPage();
    await web.signIn(page, DEMO_USERS.alice);
  });
  afterAll(() => web?.stop());

  it("shows the signed-in user's own media in the grid, newest first, every picture loaded", async () => {
    await page.goto(web.appUrl('media'));
    await page.getByRole('heading', { level: 1, name: 'Media' }).waitFor();
    await grid().waitFor();
    const titles = await tileTitles();
    expect(titles).toEqual((await serverMedia()).map((asset) => asset.title));
    expect(titles.sort()).toEqual([`${DEMO_USERS.alice.displayName} avatar`, 'Private photo 1', 'Private photo 2']);
    for (const image of await grid().getByRole('img').all()) await eventually(async () => expect(await loaded(image)).toBe(true));
  });

  it('opens an asset on its own route with its heading focused; back and forward move between the library and the viewer', async () => {
    await grid().getByRole('link', { name: 'Private photo 1' }).click();
    const heading = page.getByRole('heading', { level: 2, name: 'Private photo 1' });
    await heading.waitFor();
    const id = (await serverMedia()).find((asset) => asset.title === 'Private photo 1')!.id;
    expect(new URL(page.url()).pathname).toBe(`/media/${id}`);
    await eventually(async () => expect(await focused(heading)).toBe(true));
    const image = page.getByRole('article').getByRole('img', { name: 'Private photo 1' });
    await eventually(async () => expect(await loaded(image)).toBe(true));
    await expect(page.getByRole('article').textContent()).resolves.toContain('96 × 96 px');

    await page.goBack();
    await grid().waitFor();
    expect(new URL(page.url()).pathname).toBe('/media');
    // The tile of the asset that was open has the focus back.
    await eventually(async () => expect(await focused(grid().getByRole('link', { name: 'Private photo 1' }))).toBe(true));
    await page.goForward();
    await heading.waitFor();
  });

  it('uploads a PNG: PENDING at the top of the grid while its bytes wait, then progress to 100 % and READY in the grid and on the server', async () => {
    await page.goto(web.appUrl('media'));
    await grid().waitFor();
    const held = await holdUploadBytes(page);
    await chooseFile({ name: 'sunset.png', mimeType: 'image/png', buffer: stripedPng(64, 48) });

    const first = grid().getByRole('listitem').first();
    await first.getByText('Pending').waitFor();
    await expect(first.locator('.media-tile-title').textContent()).resolves.toBe('sunset');
    const row = uploads().getByRole('listitem').filter({ hasText: 'sunset.png' });
    const progress = row.getByRole('progressbar', { name: 'Upload of sunset.png' });
    await eventually(() => expect(held.held()).toBeGreaterThan(0));
    expect(Number(await progress.getAttribute('value'))).toBeLessThan(100);
    const pending = (await serverMedia())[0]!;
    expect(pending).toMatchObject({ title: 'sunset', url: null });

    await held.release();
    await row.getByText('Ready').waitFor();
    await expect(progress.getAttribute('value')).resolves.toBe('100');
    await expect(row.textContent()).resolves.toContain('100 %');
    await eventually(async () => expect(await first.getByText('Pending').count()).toBe(0));
    await expect(first.getAttribute('data-asset-id')).resolves.toBe(pending.id);
    const thumbnail = first.getByRole('img', { name: 'sunset' });
    await eventually(async () => expect(await loaded(thumbnail)).toBe(true));
    const ready = (await serverMedia())[0]!;
    expect(ready).toMatchObject({ id: pending.id, title: 'sunset', width: 64, height: 48 });
    expect(ready.url).not.toBeNull();
  });

  it("shows the server's reason when it refuses an upload's content, and keeps nothing of it", async () => {
    const before = await serverMedia();
    await chooseFile({ name: 'not-really.png', mimeType: 'image/png', buffer: Buffer.from('these bytes are text, not a PNG image') });
    const row = uploads().getByRole('listitem').filter({ hasText: 'not-really.png' });
    const alert = row.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/deleted/i);
    await expect(row.getByRole('button', { name: 'Retry the upload of not-really.png' }).count()).resolves.toBe(0);
    await eventually(async () => expect(await tileTitles()).not.toContain('not-really'));
    expect((await serverMedia()).map((asset) => asset.id)).toEqual(before.map((asset) => asset.id));
  });

  it('cancels an upload: its PENDING asset leaves the grid and the server', async () => {
    const before = await serverMedia();
    const held = await holdUploadBytes(page);
    await chooseFile({ name: 'never-mind.png', mimeType: 'image/png', buffer: stripedPng(8, 8) });
    await grid().getByRole('listitem').first().getByText('Pending').waitFor();
    await eventually(() => expect(held.held()).toBeGreaterThan(0));
    const row = uploads().getByRole('listitem').filter({ hasText: 'never-mind.png' });
    await row.getByRole('button', { name: 'Cancel the upload of never-mind.png' }).click();
    await row.getByText('Cancelled').waitFor();
    await held.release();
    await eventually(async () => expect(await tileTitles()).not.toContain('never-mind'));
    await eventually(async () => expect((await serverMedia()).map((asset) => asset.id)).toEqual(before.map((asset) => asset.id)));
  });

  it('renames the upload in the viewer; the grid and the server have the new title', async () => {
    await grid().getByRole('link', { name: 'sunset' }).click();
    const image = page.getByRole('article').getByRole('img', { name: 'sunset' });
    await eventually(async () => expect(await loaded(image)).toBe(true));
    await expect(page.getByRole('article').textContent()).resolves.toContain('64 × 48 px');
    const title = page.getByRole('textbox', { name: 'Title' });
    await title.fill('Sunset over the bay');
    await page.getByRole('button', { name: 'Save title' }).click();
    await page.getByRole('heading', { level: 2, name: 'Sunset over the bay' }).waitFor();
    await eventually(async () => expect((await serverMedia())[0]!.title).toBe('Sunset over the bay'));

    await page.getByRole('link', { name: 'All media' }).click();
    await grid().waitFor();
    expect((await tileTitles())[0]).toBe('Sunset over the bay');
  });

  it('deletes another asset only after a confirmation; it is gone from the grid and from the server', async () => {
    const target = (await serverMedia()).find((asset) => asset.title === 'Private photo 2')!;
    await grid().getByRole('link', { name: 'Private photo 2' }).click();
    await page.getByRole('heading', { level: 2, name: 'Private photo 2' }).waitFor();

    await page.getByRole('button', { name: 'Delete…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete “Private photo 2”?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    await confirm.waitFor({ state: 'hidden' });
    expect((await serverMedia()).map((asset) => asset.id)).toContain(target.id);

    await page.getByRole('button', { name: 'Delete…' }).click();
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await grid().waitFor();
    expect(new URL(page.url()).pathname).toBe('/media');
    await eventually(async () => expect(await tileTitles()).not.toContain('Private photo 2'));
    expect((await serverMedia()).map((asset) => asset.id)).not.toContain(target.id);
  });

  it('answers pick-media for chat: a picker of READY assets used with the keyboard, resolving with the chosen one', async () => {
    // A PENDING asset (its upload never sent) is in the library but cannot be picked.
    const created = await postGraphQL<{ createUpload: { asset: { id: string } } }>(
      web.gatewayUrl,
      { query: 'mutation($input: CreateUploadInput!) { createUpload(input: $input) { asset { id } } }', variables: { input: { filename: 'half-done.png', mimeType: 'image/png', byteSize: 100 } } },
      { authorization: `Bearer ${token}` },
    );
    expect(created.errors).toBeUndefined();
    const media = await serverMedia();
    expect(media.find((asset) => asset.id === created.data!.createUpload.asset.id)).toMatchObject({ title: 'half-done.png', url: null });
    await page.goto(web.appUrl('chat'));
    await page.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: new RegExp(`^${DEMO_USERS.bob.displayName}`) }).click();
    await page.getByRole('button', { name: 'Attach a photo or video' }).click();
    const dialog = page.getByRole('dialog');
    const choices = dialog.getByRole('list', { name: 'Your media' });
    await choices.waitFor();
    const names = await choices.getByRole('button').evaluateAll((buttons) => buttons.map((button) => button.textContent));
    expect(names).toEqual(media.filter((asset) => asset.url !== null).map((asset) => asset.title));

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(page.getByRole('alert').count()).resolves.toBe(0);

    await page.getByRole('button', { name: 'Attach a photo or video' }).click();
    await choices.getByRole('button').first().focus();
    await page.keyboard.press('ArrowRight');
    await expect(focused(choices.getByRole('button').nth(1))).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    const chosen = media.filter((asset) => asset.url !== null)[1]!;
    await page.getByRole('list', { name: 'To attach' }).getByText(chosen.title).waitFor();

    await page.getByRole('button', { name: 'Send' }).click();
    await eventually(async () => {
      const response = await postGraphQL<{ conversations: { edges: { node: { title: string | null; lastMessage: { attachments: ({ id: string } | null)[] } | null } }[] } }>(
        web.gatewayUrl,
        { query: '{ conversations(first: 50) { edges { node { title lastMessage { attachments { ... on MediaAsset { id } } } } } } }' },
        { authorization: `Bearer ${token}` },
      );
      const withBob = response.data!.conversations.edges.find(({ node }) => node.title === null)!.node;
      expect(withBob.lastMessage?.attachments).toEqual([{ id: chosen.id }]);
    });
  });

  it('uploads an audio file dropped on the drop zone, and plays it in the viewer with an audio player', async () => {
    await page.goto(web.appUrl('media'));
    await grid().waitFor();
    const wav = toneWav(250);
    const dataTransfer = await page.evaluateHandle((bytes) => {
      const browser = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
      };
      const transfer = new browser.DataTransfer();
      transfer.items.add(new browser.File([new Uint8Array(bytes)], 'tone.wav', { type: 'audio/wav' }));
      return transfer;
    }, [...wav]);
    await page.locator('.media-dropzone').dispatchEvent('drop', { dataTransfer });
    await uploads().getByRole('listitem').filter({ hasText: 'tone.wav' }).getByText('Ready').waitFor();
    const tile = grid().getByRole('listitem').first();
    await expect(tile.textContent()).resolves.toContain('Audio');
    expect((await serverMedia())[0]).toMatchObject({ title: 'tone' });

    await tile.getByRole('link', { name: 'tone' }).click();
    const player = page.getByRole('article').locator('audio[controls]');
    await eventually(async () => expect(await player.evaluate((audio: { readyState: number; duration: number }) => audio.readyState >= 1 && audio.duration > 0.2)).toBe(true));
    await expect(page.getByRole('article').textContent()).resolves.toContain('Audio (audio/wav)');
  });

  it('fits a 390 px wide screen without sideways scrolling, in the library and in the viewer', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(web.appUrl('media'));
    await grid().waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await grid().getByRole('link', { name: 'Sunset over the bay' }).click();
    await page.getByRole('heading', { level: 2, name: 'Sunset over the bay' }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
  });

  it('loads the next page when the end of the grid scrolls into view, with placeholders the size of tiles so that nothing moves', async () => {
    // Enough PENDING assets (uploads never sent) for a second page.
    for (let n = 0; n < 24; n += 1) {
      const created = await postGraphQL(
        web.gatewayUrl,
        { query: 'mutation($input: CreateUploadInput!) { createUpload(input: $input) { asset { id } } }', variables: { input: { filename: `page-${n}.png`, mimeType: 'image/png', byteSize: 100 } } },
        { authorization: `Bearer ${token}` },
      );
      expect(created.errors).toBeUndefined();
    }
    const all = await serverMedia();
    expect(all.length).toBeGreaterThan(24);

    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let nextPageRequests = 0;
    const holdNextPage = async (route: Route) => {
      const body = route.request().postDataJSON() as { operationName?: string; variables?: { after?: string } } | null;
      if (body?.operationName === 'MediaLibrary' && body.variables?.after) {
        nextPageRequests += 1;
        await released;
      }
      await route.continue();
    };
    await page.route(web.gatewayUrl, holdNextPage);
    await page.goto(web.appUrl('media'));
    await grid().waitFor();
    // The saved cache shows first; the server's first page follows (stale while revalidating).
    await eventually(async () => expect(await grid().getByRole('listitem').count()).toBe(24));
    expect(nextPageRequests).toBe(0);
    const firstTile = grid().getByRole('listitem').first();
    const layout = () =>
      firstTile.evaluate((element: { offsetTop: number; offsetLeft: number; offsetWidth: number; offsetHeight: number }) => [element.offsetTop, element.offsetLeft, element.offsetWidth, element.offsetHeight]);
    const before = await layout();

    await page.getByRole('button', { name: 'Load more' }).scrollIntoViewIfNeeded();
    await eventually(() => expect(nextPageRequests).toBe(1));
    const placeholders = grid().locator('.media-tile-placeholder');
    await expect(placeholders.count()).resolves.toBeGreaterThan(0);
    const placeholder = await placeholders.first().boundingBox();
    const tile = await grid().getByRole('listitem').nth(1).boundingBox();
    expect(Math.abs(placeholder!.width - tile!.width)).toBeLessThanOrEqual(1);
    expect(Math.abs(placeholder!.height - tile!.height)).toBeLessThanOrEqual(1);

    release();
    await eventually(async () => expect(await tileTitles()).toEqual(all.map((asset) => asset.title)));
    await expect(placeholders.count()).resolves.toBe(0);
    expect(await layout()).toEqual(before);
    await page.unroute(web.gatewayUrl, holdNextPage);
  });
});
