import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, createLogger, type GatewayOptions } from '@mega/gateway';
import { DEMO_USERS, eventually, type Federation, postGraphQL, startFederation, TEST_GATEWAY_SECRET } from '@mega/test-utils';

/**
 * Persisted documents (safelisting) at the gateway: manifests in the format GraphQL Code
 * Generator's client preset writes (`persisted-documents.json`: sha256 hash -> document), only
 * known documents in production mode, raw queries too in development mode, no automatic
 * registration, reload when the folder changes.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const PRODUCTS = 'query Products($first: Int!) { products(first: $first) { edges { node { id title } } } }';
const USER = 'query User($id: ID!) { user(id: $id) { id handle } }';
const LOG_IN = 'mutation LogIn($email: String!, $password: String!) { logIn(email: $email, password: $password) { accessToken } }';
const UNLISTED = '{ products(first: 1) { edges { node { id description } } } }';

/** POSTs any GraphQL-over-HTTP body (`documentId`, `extensions` without `query`, ...). */
const send = <T = Record<string, unknown>>(url: string, body: Record<string, unknown>) => postGraphQL<T>(url, body as { query: string });


describe('persisted documents at the gateway', () => {
  let federation: Federation;
  let manifests: string;
  let production: string;
  let development: string;
  const gateways: { stop(): Promise<void> }[] = [];

  const startGateway = (options: Partial<GatewayOptions>) => federation.startGateway(options);

  beforeAll(async () => {
    manifests = await mkdtemp(path.join(tmpdir(), 'mega-persisted-'));
    await writeFile(path.join(manifests, 'persisted-documents.json'), JSON.stringify({ [sha256(PRODUCTS)]: PRODUCTS, [sha256(LOG_IN)]: LOG_IN }));
    await writeFile(path.join(manifests, 'profile.json'), JSON.stringify({ [`sha256:${sha256(USER)}`]: USER }));
    federation = await startFederation({ seed: true });
    [production, development] = await Promise.all([
      startGateway({ persistedDocuments: { dir: manifests, requirePersistedDocuments: true } }),
      startGateway({ persistedDocuments: { dir: manifests, requirePersistedDocuments: false } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await federation?.stop();
    if (manifests) await rm(manifests, { recursive: true, force: true });
  });

  async function expectKnownServed(url: string) {
    const result = await send<{ products: { edges: unknown[] } }>(url, { documentId: `sha256:${sha256(PRODUCTS)}`, variables: { first: 2 } });
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data?.products.edges).toHaveLength(2);
  }

  describe('in production mode (only persisted documents)', () => {
    it('runs a known document by documentId, as sha256:<hash> and as the bare hash, with variables', async () => {
      await expectKnownServed(production);
      const bare = await send<{ products: { edges: unknown[] } }>(production, { documentId: sha256(PRODUCTS), variables: { first: 1 } });
      expect(bare.data?.products.edges).toHaveLength(1);
      const user = await send(production, { documentId: `sha256:${sha256(USER)}`, variables: { id: DEMO_USERS.alice.id } });
      expect(user.data).toEqual({ user: { id: DEMO_USERS.alice.id, handle: DEMO_USERS.alice.handle } });
    });

    it('runs a known mutation, and a known document named by extensions.persistedQuery.sha256Hash', async () => {
      const logIn = await send<{ logIn: { accessToken: string } }>(production, {
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256(LOG_IN) } },
        variables: { email: DEMO_USERS.alice.email, password: DEMO_USERS.alice.password },
      });
      expect(logIn.errors).toBeUndefined();
      expect(logIn.data?.logIn.accessToken).toBeTruthy();
    });

    it('runs a known query with GET (documentId in the query string)', async () => {
      const search = new URLSearchParams({ documentId: `sha256:${sha256(PRODUCTS)}`, variables: JSON.stringify({ first: 1 }) });
      const response = await fetch(`${production}?${search}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { data: { products: { edges: unknown[] } } }).data.products.edges).toHaveLength(1);
    });

    it('refuses a raw query with 400 PERSISTED_QUERY_REQUIRED, even one the manifest holds, and keeps serving', async () => {
      for (const query of [UNLISTED, PRODUCTS]) {
        const result = await postGraphQL(production, { query, variables: { first: 1 } });
        expect(result.status).toBe(400);
        expect(result.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_REQUIRED');
        expect(result.data).toBeUndefined();
      }
      await expectKnownServed(production);
    });

    it('refuses an unknown id with 400 PERSISTED_QUERY_NOT_FOUND, by documentId and by hash', async () => {
      for (const body of [{ documentId: `sha256:${sha256(UNLISTED)}` }, { documentId: 'not-an-id' }, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(UNLISTED) } } }]) {
        const result = await send(production, body);
        expect(result.status).toBe(400);
        expect(result.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      }
      await expectKnownServed(production);
    });

    it('lets no client register a document the automatic-persisted-queries way', async () => {
      const register = await send(production, { query: UNLISTED, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(UNLISTED) } } });
      expect(register.status).toBe(400);
      expect(register.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const afterwards = await send(production, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(UNLISTED) } } });
      expect(afterwards.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      await expectKnownServed(production);
    });

    it('refuses another text sent under a known hash, and documentId with query, with 400 BAD_REQUEST', async () => {
      const swapped = await send(production, { query: UNLISTED, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(PRODUCTS) } } });
      expect(swapped.status).toBe(400);
      expect(swapped.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
      const both = await send(production, { query: PRODUCTS, documentId: sha256(PRODUCTS), variables: { first: 1 } });
      expect(both.status).toBe(400);
      expect(both.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    });
  });

  describe('in development mode', () => {
    it('runs raw queries as well as persisted documents', async () => {
      const raw = await postGraphQL<{ products: { edges: unknown[] } }>(development, { query: UNLISTED });
      expect(raw.status).toBe(200);
      expect(raw.data?.products.edges).toHaveLength(1);
      await expectKnownServed(development);
    });

    it('runs a query sent with an unknown hash without registering it', async () => {
      const sent = await send<{ products: { edges: unknown[] } }>(development, {
        query: UNLISTED,
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256(UNLISTED) } },
      });
      expect(sent.status).toBe(200);
      expect(sent.data?.products.edges).toHaveLength(1);
      const afterwards = await send(development, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(UNLISTED) } } });
      expect(afterwards.status).toBe(400);
      expect(afterwards.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    });
  });

  it('serves the documents of a manifest added to the folder while it runs', async () => {
    const added = `query Added { products(first: 1) { edges { cursor } } } # ${randomUUID()}`;
    const before = await send(production, { documentId: sha256(added) });
    expect(before.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    await writeFile(path.join(manifests, 'added.json'), JSON.stringify({ [sha256(added)]: added }));
    await eventually(async () => {
      const result = await send(production, { documentId: sha256(added) });
      expect(result.status).toBe(200);
      expect(result.errors).toBeUndefined();
    });
    await expectKnownServed(production);
  });

  it('refuses to start on a malformed manifest, naming the file', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'mega-persisted-bad-'));
    await writeFile(path.join(folder, 'persisted-documents.json'), JSON.stringify({ abc: 'query { products(first: ' }));
    const gateway = createGateway({
      port: 0,
      gatewaySecret: TEST_GATEWAY_SECRET,
      subgraphUrls: { accounts: federation.accounts.url },
      logger: createLogger('silent'),
      persistedDocuments: { dir: folder, requirePersistedDocuments: true },
    });
    gateways.push(gateway);
    await expect(gateway.start()).rejects.toThrow(/persisted-documents\.json: the document of "abc" does not parse/);
    await rm(folder, { recursive: true, force: true });
  });
});
