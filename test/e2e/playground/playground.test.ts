import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '@mega/subgraph-kit/demo';
import {
  accessTokenFor,
  buildWebApp,
  DEMO_USERS,
  eventually,
  launchChromium,
  queryAs,
  REPO_ROOT,
  startFederation,
  type Federation,
} from '@mega/test-utils';

const ALICE_AND_BOB = demoId('conversation:alice-bob');
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The text of GraphiQL's response pane (a Monaco editor: spaces come as no-break spaces). */
async function responseText(page: Page): Promise<string> {
  return ((await page.locator('.graphiql-response').textContent()) ?? '').replace(/\u00a0/g, ' ');
}

/** Opens an example of the Examples panel in the editors and, once the query editor shows its operation (`opens`) alone, runs it. */
async function runExample(page: Page, name: string, opens: string): Promise<void> {
  await page.getByRole('button', { name }).click(); // enabled once the editors exist
  // The example's one operation, not the tab's first document (which holds several, and would make Run ask which).
  await eventually(async () => expect(((await page.locator('.graphiql-query-editor').textContent()) ?? '').replace(/\u00a0/g, ' ')).toMatch(new RegExp(`^1\\d*${opens}\\b`)), 20_000);
  await page.getByRole('button', { name: /^Execute query/ }).click();
}

const SEND = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { seq } }';
const MESSAGES = 'query($id: ID!) { conversation(id: $id) { messages(first: 100) { edges { node { body sender { displayName } } } } } }';

describe('the playground: GraphiQL served by the gateway', () => {
  let federation: Federation;
  let buildDir: string;
  let browser: Browser;

  beforeAll(async () => {
    // Built once, then from the cache (web-build.ts) while its sources and the lockfile stay the same.
    buildDir = (await buildWebApp(path.join(REPO_ROOT, 'playground'))).outDir;
    federation = await startFederation({ seed: true, gateway: { introspection: true, playground: { dir: buildDir, demo: true } } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await federation?.stop();
  });

  it('signs in with a demo user, runs a query, a mutation and a subscription, and loads nothing from outside this machine', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('websocket', (socket) => requested.push(socket.url()));
    page.on('worker', (worker) => requested.push(worker.url()));

    await page.goto(federation.gatewayUrl);
    expect(page.url()).toBe(new URL('/playground/', federation.gatewayUrl).toString());

    await page.getByLabel('Demo user').selectOption({ label: DEMO_USERS.alice.displayName });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`Signed in as ${DEMO_USERS.alice.displayName}`).waitFor();

    await runExample(page, 'query: Who am I', 'query Me');
    await eventually(async () => expect(await responseText(page)).toContain(`"displayName": "${DEMO_USERS.alice.displayName}"`), 30_000);

    await runExample(page, 'mutation: Send a message', 'mutation SendMessage');
    await eventually(async () => expect(await responseText(page)).toContain('"body": "Hello from the playground"'), 30_000);
    const bob = await accessTokenFor(federation.gatewayUrl, DEMO_USERS.bob);
    const stored = await queryAs<{ conversation: { messages: { edges: { node: { body: string; sender: { displayName: string } } }[] } } }>(federation.gatewayUrl, bob, MESSAGES, { id: ALICE_AND_BOB });
    expect(stored.conversation.messages.edges.map(({ node }) => node)).toContainEqual({ body: 'Hello from the playground', sender: { displayName: DEMO_USERS.alice.displayName } });

    // The subscription is live once an event sent after it started shows: Bob sends until one does.
    await runExample(page, 'subscription: New messages (live)', 'subscription MessageAdded');
    let sent = 0;
    await eventually(async () => {
      const body = `Live from Bob ${++sent}`;
      await queryAs(federation.gatewayUrl, bob, SEND, { input: { conversationId: ALICE_AND_BOB, body } });
      await eventually(async () => expect(await responseText(page)).toMatch(/"body": "Live from Bob \d+"/), 2_000);
    }, 20_000);
    expect(await responseText(page)).toContain(`"displayName": "${DEMO_USERS.bob.displayName}"`);

    const outside = requested.filter((url) => {
      const { protocol, host } = new URL(url);
      if (protocol === 'data:' || protocol === 'blob:') return false;
      return !LOCAL_HOSTS.has(host.replace(/:\d+$/, ''));
    });
    expect(outside).toEqual([]);
    expect(requested.some((url) => url.startsWith('ws://'))).toBe(true);
    await context.close();
  });

  it('serves its files safely: content types, immutable hashed assets, its CSP, no way out of the build folder', async () => {
    const origin = new URL(federation.gatewayUrl).origin;
    const index = await fetch(`${origin}/playground/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    const script = /src="(\/playground\/assets\/[^"]+\.js)"/.exec(await index.text())?.[1];
    const asset = await fetch(`${origin}${script}`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

    for (const escape of ['/playground/..%2f..%2fpackage.json', '/playground/%2e%2e/%2e%2e/package.json', '/playground/.vite/manifest.json', '/playground/assets/..%5c..%5cindex.html', '/playground/nothing-here.js']) {
      expect((await fetch(`${origin}${escape}`)).status, escape).toBe(404);
    }
    expect((await fetch(`${origin}/playground`, { redirect: 'manual' })).headers.get('location')).toBe('/playground/');
    // An API client's GET (no HTML in Accept) still reaches GraphQL.
    const api = await fetch(`${federation.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(await api.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('in production serves the IDE only to admins, after they sign in, and offers no demo logins', async () => {
    const gatewayUrl = await federation.startGateway({ playground: { dir: buildDir, adminsOnly: true, adminUserIds: [DEMO_USERS.alice.id] } });
    const origin = new URL(gatewayUrl).origin;
    const config = (await (await fetch(`${origin}/playground/config.json`)).json()) as { adminsOnly: boolean; demoLogins: unknown[]; session: boolean };
    expect(config).toMatchObject({ adminsOnly: true, demoLogins: [], session: false });

    const html = await (await fetch(`${origin}/playground/`)).text();
    const named = new Set([...html.matchAll(/"\/playground\/(assets\/[^"]+)"/g)].map((match) => match[1]));
    const hidden = (await readdir(path.join(buildDir, 'assets'))).map((name) => `assets/${name}`).find((name) => !named.has(name));
    expect(hidden).toBeDefined();
    for (const name of named) expect((await fetch(`${origin}/playground/${name}`)).status, name).toBe(200);
    expect((await fetch(`${origin}/playground/${hidden}`)).status).toBe(403);

    const session = (token: string) => fetch(`${origin}/playground/session`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const refused = await session(await accessTokenFor(gatewayUrl, DEMO_USERS.bob));
    expect(refused.status).toBe(403);
    expect(refused.headers.get('set-cookie')).toBeNull();

    const opened = await session(await accessTokenFor(gatewayUrl, DEMO_USERS.alice));
    expect(opened.status).toBe(204);
    const cookie = opened.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^mega_playground=[^;]+; Path=\/playground; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    const withCookie = { headers: { cookie: cookie.split(';')[0]! } };
    const served = await fetch(`${origin}/playground/${hidden}`, withCookie);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(await readFile(path.join(buildDir, hidden!)))).toBe(true);
    expect(served.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    await expect((await fetch(`${origin}/playground/config.json`, withCookie)).json()).resolves.toMatchObject({ session: true });
    // A forged cookie (Bob's id with Alice's signature) opens nothing.
    const [, expires, signature] = cookie.split(';')[0]!.split('=')[1]!.split('.');
    const forged = `mega_playground=${Buffer.from(DEMO_USERS.bob.id).toString('base64url')}.${expires}.${signature}`;
    expect((await fetch(`${origin}/playground/${hidden}`, { headers: { cookie: forged } })).status).toBe(403);
  });

  it('in production lets an admin sign in, browse the schema and run an operation that is not persisted', async () => {
    // Production's rules: no introspection, only persisted documents (an empty manifests folder: none of the examples is persisted).
    const manifests = await mkdtemp(path.join(tmpdir(), 'mega-playground-manifests-'));
    let gatewayUrl: string | undefined;
    try {
      gatewayUrl = await federation.startGateway({
        introspection: false,
        persistedDocuments: { dir: manifests, requirePersistedDocuments: true },
        playground: { dir: buildDir, adminsOnly: true, adminUserIds: [DEMO_USERS.alice.id] },
      });
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(new URL('/playground/', gatewayUrl).toString());
      await page.getByLabel('Email').fill(DEMO_USERS.alice.email);
      await page.getByLabel('Password').fill(DEMO_USERS.alice.password);
      // The IDE appears after the sign-in and loads the schema at once: an operation runs once that is done.
      const schemaLoaded = page.waitForResponse((response) => response.url().endsWith('/graphql') && (response.request().postData() ?? '').includes('__schema'));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText(`Signed in as ${DEMO_USERS.alice.displayName}`).waitFor();
      expect((await schemaLoaded).status()).toBe(200);

      await runExample(page, 'query: Who am I', 'query Me');
      await eventually(async () => expect(await responseText(page)).toContain(`"displayName": "${DEMO_USERS.alice.displayName}"`), 30_000);

      // The schema explorer is filled by introspection, which only an admin's token may run here.
      await page.getByRole('button', { name: /Show Documentation Explorer/ }).click();
      await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().waitFor();
      await context.close();
    } finally {
      if (gatewayUrl) await federation.stopGateway(gatewayUrl);
      await rm(manifests, { recursive: true, force: true });
    }
  });
});
