import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, eventually, launchChromium, postGraphQL, REPO_ROOT, type Stack, startStack } from '@mega/test-utils';

const HOME_QUERY = /* GraphQL */ `
  query Home {
    me {
      displayName
      conversations(first: 5) {
        edges { node { id title messages(first: 10) { edges { node { seq body sender { id displayName } } } } } }
      }
    }
    products(first: 8) {
      edges { node { id title price { formatted } images { id url mimeType } } }
    }
  }
`;

interface Home {
  me: {
    displayName: string;
    conversations: { edges: { node: { id: string; messages: { edges: { node: { body: string; sender: { displayName: string } } }[] } } }[] };
  } | null;
  products: { edges: { node: { title: string; images: { url: string; mimeType: string }[] | null } }[] } | null;
}


describe('the whole system as real processes on free ports', () => {
  let dataDir: string;
  let stack: Stack;
  let token: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'mega-e2e-'));
    // Production mode, with the web's persisted documents loaded, but raw queries allowed too (the tests send some).
    stack = await startStack({
      dataDir,
      gatewaySecret: 'e2e-secret-0123456789abcdef0123456789abcdef',
      nodeEnv: 'production',
      env: { REQUIRE_PERSISTED_DOCUMENTS: 'false' },
      web: { shellPort: 0, miniAppsPort: 0 },
    });
    const login = await postGraphQL<{ logIn: { accessToken: string } }>(stack.urls.gateway, {
      query: 'mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { accessToken } }',
      variables: { email: DEMO_USERS.alice.email, password: DEMO_USERS.alice.password },
    });
    expect(login.errors).toBeUndefined();
    token = login.data!.logIn.accessToken;
  });

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('answers a signed-in demo user with products and their images, and conversations with message senders, in one query', async () => {
    const result = await postGraphQL<Home>(stack.urls.gateway, { query: HOME_QUERY }, { authorization: `Bearer ${token}` });
    expect(result.errors).toBeUndefined();
    expect(result.data?.me?.displayName).toBe(DEMO_USERS.alice.displayName);

    const products = result.data!.products!.edges.map((e) => e.node);
    expect(products.length).toBeGreaterThan(0);
    for (const product of products) {
      expect(product.images?.length).toBeGreaterThan(0);
      const image = await fetch(product.images![0]!.url);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe(product.images![0]!.mimeType);
    }

    const messages = result.data!.me!.conversations.edges.flatMap((c) => c.node.messages.edges.map((m) => m.node));
    expect(messages.length).toBeGreaterThan(0);
    const senderNames = new Set(messages.map((m) => m.sender.displayName));
    expect(senderNames.has(DEMO_USERS.alice.displayName) || senderNames.has(DEMO_USERS.bob.displayName)).toBe(true);
  });

  it('serves the other subgraphs while one is down, names the failed service, and recovers when it returns', async () => {
    await stack.kill('media');
    const partial = await postGraphQL<Home>(stack.urls.gateway, { query: HOME_QUERY }, { authorization: `Bearer ${token}` });
    expect(partial.status).toBe(200);
    expect(partial.data?.me?.displayName).toBe(DEMO_USERS.alice.displayName);
    expect(partial.data?.products?.edges.length).toBeGreaterThan(0);
    const failure = partial.errors?.find((e) => e.extensions?.serviceName === 'media');
    expect(failure?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
    expect(JSON.stringify(partial.errors)).not.toMatch(/ECONNREFUSED|\n\s+at /);

    await stack.restart('media');
    const recovered = await eventually(async () => {
      const result = await postGraphQL<Home>(stack.urls.gateway, { query: HOME_QUERY }, { authorization: `Bearer ${token}` });
      expect(result.errors).toBeUndefined();
      return result;
    });
    expect(recovered.data?.products?.edges[0]?.node.images?.[0]?.url).toMatch(/^http/);
  });

  it("loads the web's persisted documents, so that the shell and the mini-apps send only their operations' ids", async () => {
    const manifest = JSON.parse(await readFile(path.join(REPO_ROOT, 'shell-web/src/gql/persisted-documents.json'), 'utf8')) as Record<string, string>;
    const logIn = Object.keys(manifest).find((id) => /\bmutation LogIn\b/.test(manifest[id]!))!;
    const response = await fetch(stack.urls.gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ variables: { email: DEMO_USERS.bob.email, password: DEMO_USERS.bob.password }, extensions: { persistedQuery: { version: 1, sha256Hash: logIn } } }),
    });
    const body = (await response.json()) as { data?: { logIn: { user: { displayName: string } } }; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    expect(body.data?.logIn.user.displayName).toBe(DEMO_USERS.bob.displayName);
  });

  it('serves the web shell with a registry of every mini-app, each loaded from its own server and querying the gateway (whose CORS allows the shell) as the signed-in user', async () => {
    const web = stack.web!;
    const registry = (await (await fetch(`${web.shellUrl}/registry.json`)).json()) as { apps: { id: string; manifestUrl: string }[] };
    expect(registry.apps.map((app) => app.id).sort()).toEqual([...web.remotes.keys()].sort());
    expect(registry.apps.map((app) => app.id)).toContain('chat');
    for (const app of registry.apps) expect((await fetch(app.manifestUrl)).status).toBe(200);
    await expect((await fetch(`${web.shellUrl}/config.json`)).json()).resolves.toEqual({ gatewayUrl: stack.urls.gateway, registryUrl: '/registry.json' });

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`${web.shellUrl}/`);
      await page.getByLabel('Email').fill(DEMO_USERS.alice.email);
      await page.getByLabel('Password').fill(DEMO_USERS.alice.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await page.goto(`${web.shellUrl}/chat`);
      const conversations = page.getByRole('list', { name: 'Conversations' });
      await conversations.locator('li strong').first().waitFor();
      await expect(conversations.locator('li strong').allTextContents()).resolves.toContain(DEMO_USERS.bob.displayName);
    } finally {
      await browser.close();
    }
  });

  it('reports itself alive and ready on every process', async () => {
    for (const url of Object.values(stack.urls)) {
      const origin = new URL(url).origin;
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      expect((await fetch(`${origin}/readyz`)).status).toBe(200);
    }
  });
});
