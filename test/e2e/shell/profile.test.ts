import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, DEMO_USERS, eventually, queryAs, REPO_ROOT, startWeb, type Web } from '@mega/test-utils';

/** The persisted id of the shell's `UpdateProfile` mutation: how a test tells its requests apart (they carry no text). */
const UPDATE_PROFILE_HASH = Object.entries(JSON.parse(readFileSync(path.join(REPO_ROOT, 'shell-web/src/gql/persisted-documents.json'), 'utf8')) as Record<string, string>).find(([, text]) =>
  text.includes('mutation UpdateProfile('),
)![0];

interface Profile {
  displayName: string;
  avatarUrl: string | null;
  version: number;
}

/**
 * The `input` of every `updateProfile` a page has the gateway run (not counting a first try by id
 * alone that the gateway answers PERSISTED_QUERY_NOT_FOUND: the same request follows with its text).
 */
function recordProfileUpdates(page: Page): Record<string, unknown>[] {
  const inputs: Record<string, unknown>[] = [];
  page.on('response', async (response) => {
    const request = response.request();
    if (request.method() !== 'POST') return;
    const body = request.postDataJSON() as { variables?: { input?: Record<string, unknown> }; extensions?: { persistedQuery?: { sha256Hash?: string } } } | null;
    if (body?.extensions?.persistedQuery?.sha256Hash !== UPDATE_PROFILE_HASH || !body.variables?.input) return;
    const result = (await response.json().catch(() => null)) as { errors?: { extensions?: { code?: string } }[] } | null;
    if (result?.errors?.[0]?.extensions?.code !== 'PERSISTED_QUERY_NOT_FOUND') inputs.push(body.variables.input);
  });
  return inputs;
}

describe("the signed-in user's profile, edited on two devices", () => {
  const user = DEMO_USERS.carol;
  let web: Web;
  let token: string;
  /** Two devices of the same user: two browser contexts, each signed in. */
  let laptop: Page;
  let phone: Page;
  let phoneUpdates: Record<string, unknown>[];
  let start: Profile;
  const server = async () => (await queryAs<{ me: Profile }>(web.gatewayUrl, token, '{ me { displayName avatarUrl version } }')).me;
  const headerLink = (page: Page, name: string) => page.getByRole('banner').getByRole('link', { name: `${name}: your profile` });
  const displayName = (page: Page) => page.getByRole('textbox', { name: 'Display name' });
  const avatarUrl = (page: Page) => page.getByRole('textbox', { name: 'Avatar URL' });
  const save = (page: Page) => page.getByRole('button', { name: 'Save profile' });
  const saved = (page: Page) => page.getByRole('status').filter({ hasText: /^Saved/ });

  async function openProfile(page: Page, name: string) {
    await headerLink(page, name).click();
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();
    await displayName(page).waitFor();
  }

  beforeAll(async () => {
    web = await startWeb({ remotes: [] });
    token = await accessTokenFor(web.gatewayUrl, user);
    start = await server();
    [laptop, phone] = await Promise.all([web.newPage(), web.newPage()]);
    phoneUpdates = recordProfileUpdates(phone);
    await Promise.all([web.signIn(laptop, user), web.signIn(phone, user)]);
    // Both devices load the form on the same version.
    await Promise.all([openProfile(laptop, user.displayName), openProfile(phone, user.displayName)]);
  });
  afterAll(() => web?.stop());

  it('saves a new name on the version the form was loaded with: the header shows it at once, the server and the kept profile have it', async () => {
    // The navigation took the focus to the page's heading.
    await expect(laptop.locator('h1:focus').textContent()).resolves.toBe('Your profile');
    await expect(displayName(laptop).inputValue()).resolves.toBe(user.displayName);
    await displayName(laptop).fill('Carol on the laptop');
    await save(laptop).click();
    await saved(laptop).waitFor();
    await headerLink(laptop, 'Carol on the laptop').waitFor();
    await expect(server()).resolves.toEqual({ displayName: 'Carol on the laptop', avatarUrl: start.avatarUrl, version: start.version + 1 });
    // The profile kept for a start without the gateway.
    await expect(laptop.evaluate<string>(`JSON.parse(localStorage.getItem('mega.user')).displayName`)).resolves.toBe('Carol on the laptop');
  });

  it('merges a change of another field made on the old version: sent again on the new version with that field only, both kept', async () => {
    // The phone still has the form of before the laptop's change.
    await expect(displayName(phone).inputValue()).resolves.toBe(user.displayName);
    await avatarUrl(phone).fill('https://example.com/carol-phone.png');
    await save(phone).click();
    await saved(phone).filter({ hasText: 'another device' }).waitFor();
    await expect(server()).resolves.toEqual({ displayName: 'Carol on the laptop', avatarUrl: 'https://example.com/carol-phone.png', version: start.version + 2 });
    await eventually(() =>
      expect(phoneUpdates).toEqual([
        { avatarUrl: 'https://example.com/carol-phone.png', expectedVersion: start.version },
        { avatarUrl: 'https://example.com/carol-phone.png', expectedVersion: start.version + 1 },
      ]),
    );
    // The phone now shows the profile as saved, the laptop's name included.
    await expect(displayName(phone).inputValue()).resolves.toBe('Carol on the laptop');
    await headerLink(phone, 'Carol on the laptop').waitFor();
  });

  it("lets the server win when the other device changed the same field: the form shows the server's profile and says which value was not saved", async () => {
    // The laptop opens its profile afresh (the merged one) and renames again.
    await laptop.reload();
    await displayName(laptop).waitFor();
    await expect(avatarUrl(laptop).inputValue()).resolves.toBe('https://example.com/carol-phone.png');
    await displayName(laptop).fill('Carol C.');
    await save(laptop).click();
    await headerLink(laptop, 'Carol C.').waitFor();
    phoneUpdates.length = 0;

    await displayName(phone).fill('Carol on the phone');
    await save(phone).click();
    const told = phone.getByRole('alert').filter({ hasText: 'changed on another device' });
    await told.waitFor();
    await expect(told.textContent()).resolves.toContain('Your profile was changed on another device: your name “Carol on the phone” was not saved.');
    await expect(displayName(phone).inputValue()).resolves.toBe('Carol C.');
    await expect(avatarUrl(phone).inputValue()).resolves.toBe('https://example.com/carol-phone.png');
    await headerLink(phone, 'Carol C.').waitFor();
    await expect(server()).resolves.toEqual({ displayName: 'Carol C.', avatarUrl: 'https://example.com/carol-phone.png', version: start.version + 3 });
    // Sent once, on the version the phone had; never again without it.
    await eventually(() => expect(phoneUpdates).toEqual([{ displayName: 'Carol on the phone', expectedVersion: start.version + 2 }]));
  });

  it("shows the server's message next to the field for a name it refuses", async () => {
    await displayName(phone).fill('   ');
    await save(phone).click();
    const field = displayName(phone);
    await eventually(async () => expect(await field.getAttribute('aria-invalid')).toBe('true'));
    const message = phone.locator(`[id="${await field.getAttribute('aria-describedby')}"]`);
    await expect(message.textContent()).resolves.toBe('displayName must be 1 to 80 characters.');
    await expect(server()).resolves.toMatchObject({ displayName: 'Carol C.', version: start.version + 3 });
  });

  it('fits a 390 px wide screen, the profile link in the header included', async () => {
    await phone.setViewportSize({ width: 390, height: 844 });
    await headerLink(phone, 'Carol C.').waitFor({ state: 'visible' });
    await expect(phone.locator('html').evaluate((html: { scrollWidth: number }) => html.scrollWidth)).resolves.toBeLessThanOrEqual(390);
  });
});
