import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, DEMO_USERS, eventually, postGraphQL, startWeb, type Web } from '@mega/test-utils';
import { encodePng } from '../../../subgraphs/media/src/images/png.js';

/** The file's size: three PATCHes of the app's 8 MiB chunks. */
const FILE_BYTES = 20_000_000;
/** What the first PATCH sends: the server's offset when the second one is cut. */
const CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * A valid 16 × 16 PNG of exactly `size` bytes: the picture, with a private ancillary chunk
 * (`prVt`, which decoders skip) of padding after IHDR.
 */
function paddedPng(size: number): Buffer {
  const png = encodePng({ width: 16, height: 16, data: Buffer.alloc(16 * 16 * 4, 200) });
  const afterHeader = 8 + 25; // signature, IHDR chunk
  const padding = Buffer.alloc(size - png.length - 12, 7);
  const chunk = Buffer.alloc(padding.length + 12);
  chunk.writeUInt32BE(padding.length, 0);
  chunk.write('prVt', 4, 'latin1');
  padding.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + padding.length)), 8 + padding.length);
  return Buffer.concat([png.subarray(0, afterHeader), chunk, png.subarray(afterHeader)]);
}

/** One PATCH the page sent to the upload endpoint. */
interface Patch {
  offset: number;
  bytes: number;
}

describe('an upload cut by a reload', () => {
  let web: Web;
  let page: Page;
  let token: string;
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'mega-upload-resume-'));
    web = await startWeb({ remotes: ['media'] });
    token = await accessTokenFor(web.gatewayUrl, DEMO_USERS.alice);
    page = await web.newPage();
    await web.signIn(page, DEMO_USERS.alice);
  });
  afterAll(async () => {
    await web?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  const grid = () => page.getByRole('list', { name: 'Your media' });

  /** Alice's media as the gateway has it. */
  async function serverMedia() {
    const response = await postGraphQL<{ myMedia: { edges: { node: { id: string; title: string; url: string | null; width: number | null; byteSize: number } }[] } }>(
      web.gatewayUrl,
      { query: '{ myMedia(first: 100) { edges { node { id title url width byteSize } } } }' },
      { authorization: `Bearer ${token}` },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.myMedia.edges.map((edge) => edge.node);
  }

  async function chooseWithUploadButton(file: string) {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Upload…' }).click();
    await (await chooser).setFiles(file);
  }

  /**
   * Uploads a padded PNG of `bytes` named `name` (from a file on disk, so that choosing it again
   * gives the same `lastModified`); its second PATCH never reaches the server, and the page is
   * reloaded then. Resolves once the page lists the upload as paused; `before` and `after` are
   * the PATCHes sent before and after the reload.
   */
  async function uploadCutByReload(name: string, bytes: number) {
    const file = path.join(folder, name);
    await writeFile(file, paddedPng(bytes));
    const before: Patch[] = [];
    const after: Patch[] = [];
    let reloaded = false;
    let cut: Route | undefined;
    const record = async (route: Route) => {
      const request = route.request();
      if (request.method() !== 'PATCH') return route.continue();
      const patch = { offset: Number(request.headers()['upload-offset']), bytes: request.postDataBuffer()?.length ?? 0 };
      if (reloaded) {
        after.push(patch);
        return route.continue();
      }
      before.push(patch);
      if (before.length === 1) return route.continue();
      cut ??= route;
      return undefined;
    };
    await page.route('**/uploads/**', record);
    await page.goto(web.appUrl('media'));
    await grid().waitFor();
    await chooseWithUploadButton(file);
    await eventually(() => expect(cut).toBeDefined(), 30_000);
    reloaded = true;
    await page.reload();
    await cut!.abort().catch(() => undefined);
    const row = page.getByRole('list', { name: 'Uploads' }).getByRole('listitem').filter({ hasText: name });
    await row.getByText('Paused: choose the file again to resume').waitFor();
    return { file, before, after, row, stopRecording: () => page.unroute('**/uploads/**', record) };
  }

  it('resumes after the file is chosen again, sending only the bytes the server did not have, and the asset becomes READY', async () => {
    const { file, before, after, row, stopRecording } = await uploadCutByReload('big-scan.png', FILE_BYTES);
    expect(before[0]).toEqual({ offset: 0, bytes: CHUNK_BYTES });
    expect(before[1]!.offset).toBe(CHUNK_BYTES);
    // Its PENDING asset is in the grid, as the server has it.
    await grid().getByRole('listitem').filter({ hasText: 'big-scan' }).getByText('Pending').waitFor();

    const resumeButton = row.getByRole('button', { name: 'Resume the upload of big-scan.png: choose the file again' });
    // Another file is refused, with the name of the one expected; nothing is sent.
    const wrong = page.waitForEvent('filechooser');
    await resumeButton.click();
    await (await wrong).setFiles({ name: 'other.png', mimeType: 'image/png', buffer: paddedPng(1000) });
    await expect(row.getByRole('alert').textContent()).resolves.toContain('choose “big-scan.png”');
    expect(after).toEqual([]);

    const again = page.waitForEvent('filechooser');
    await resumeButton.click();
    await (await again).setFiles(file);
    await row.getByText('Ready').waitFor({ timeout: 60_000 });

    // Only what the server did not have was sent again, from its offset on.
    expect(after[0]?.offset).toBe(CHUNK_BYTES);
    expect(after.reduce((sum, patch) => sum + patch.bytes, 0)).toBe(FILE_BYTES - CHUNK_BYTES);
    await stopRecording();

    const asset = (await serverMedia()).find((node) => node.title === 'big-scan');
    expect(asset).toMatchObject({ width: 16, byteSize: FILE_BYTES, url: expect.stringMatching(/^http/) });

    // Finished: after another reload it is no longer offered for resuming.
    await page.reload();
    await grid().waitFor();
    await expect(page.getByText('Paused: choose the file again to resume').count()).resolves.toBe(0);
  });

  it('resumes a paused upload when the same file is chosen with the Upload button', async () => {
    const { file, after, row, stopRecording } = await uploadCutByReload('second-scan.png', 10_000_000);
    await chooseWithUploadButton(file);
    await row.getByText('Ready').waitFor({ timeout: 60_000 });
    await stopRecording();
    expect(after[0]?.offset).toBe(CHUNK_BYTES);
    expect(after.reduce((sum, patch) => sum + patch.bytes, 0)).toBe(10_000_000 - CHUNK_BYTES);
    await expect(page.getByRole('list', { name: 'Uploads' }).getByRole('listitem').count()).resolves.toBe(1);
  });

  it('cancels a paused upload: its PENDING asset leaves the grid and the server', async () => {
    const { row, stopRecording } = await uploadCutByReload('third-scan.png', 10_000_000);
    await stopRecording();
    const id = (await serverMedia()).find((node) => node.title === 'third-scan')!.id;
    await row.getByRole('button', { name: 'Cancel the upload of third-scan.png' }).click();
    await row.getByText('Cancelled').waitFor();
    await eventually(async () => expect((await serverMedia()).map((node) => node.id)).not.toContain(id));
    await eventually(async () => expect(await grid().locator('.media-tile-title').allTextContents()).not.toContain('third-scan'));
    await page.reload();
    await grid().waitFor();
    await expect(page.getByText('Paused: choose the file again to resume').count()).resolves.toBe(0);
  });
});
