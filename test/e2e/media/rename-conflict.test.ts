import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, DEMO_USERS, queryAs, startWeb, type Web } from '@mega/test-utils';

describe('renaming media changed on another device meanwhile', () => {
  let web: Web;
  let token: string;

  beforeAll(async () => {
    web = await startWeb({ remotes: ['media'] });
    token = await accessTokenFor(web.gatewayUrl, DEMO_USERS.alice);
  });
  afterAll(() => web?.stop());

  it("refuses the stale rename (expectedVersion), shows the server's title and tells the user; saving again then works", async () => {
    const { myMedia } = await queryAs<{ myMedia: { edges: { node: { id: string; title: string } }[] } }>(web.gatewayUrl, token, '{ myMedia(first: 100) { edges { node { id title } } } }');
    const { id } = myMedia.edges.find(({ node }) => node.title === 'Private photo 1')!.node;
    const page = await web.newPage();
    await web.signIn(page, DEMO_USERS.alice);
    await page.goto(web.appUrl('media'));
    await page.getByRole('link', { name: 'Private photo 1' }).first().click();
    const title = page.getByRole('textbox', { name: 'Title' });
    await title.waitFor();

    // Another device renames it first.
    await queryAs(web.gatewayUrl, token, 'mutation($id: ID!) { updateMediaAsset(id: $id, input: { title: "Renamed on the phone" }) { version } }', { id });
    await title.fill('Renamed on the laptop');
    await page.getByRole('button', { name: 'Save title' }).click();
    await page.getByRole('alert').filter({ hasText: 'changed on another device' }).waitFor();
    await expect(page.getByRole('alert').filter({ hasText: 'changed on another device' }).textContent()).resolves.toContain('“Renamed on the laptop”, was not saved');
    await expect(title.inputValue()).resolves.toBe('Renamed on the phone');
    const read = async () => (await queryAs<{ mediaAsset: { title: string } }>(web.gatewayUrl, token, 'query($id: ID!) { mediaAsset(id: $id) { title } }', { id })).mediaAsset.title;
    await expect(read()).resolves.toBe('Renamed on the phone');

    // Now on the current version: saved.
    await title.fill('Renamed on the laptop');
    await page.getByRole('button', { name: 'Save title' }).click();
    await page.getByRole('button', { name: 'Save title' }).and(page.locator(':disabled')).waitFor();
    await expect(read()).resolves.toBe('Renamed on the laptop');
    await expect(page.getByRole('alert').filter({ hasText: 'changed on another device' }).count()).resolves.toBe(0);
    await page.context().close();
  });
});
