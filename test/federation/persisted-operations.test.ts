import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, REPO_ROOT, startFederation, type Federation } from '@mega/test-utils';
import codegenConfig, { APPS_WITH_OPERATIONS } from '../../codegen.js';

const manifestOf = (app: string) => path.join(REPO_ROOT, app, 'src/gql/persisted-documents.json');

/** The id under which a manifest holds the operation named `name`. */
async function idOf(app: string, name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(manifestOf(app), 'utf8')) as Record<string, string>;
  const found = Object.entries(manifest).find(([, document]) => new RegExp(`\\b(query|mutation|subscription) ${name}\\b`).test(document));
  if (!found) throw new Error(`${app} has no persisted operation ${name}`);
  return found[0];
}

async function post(url: string, body: object, token?: string) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] } };
}

describe("the shell's and the mini-apps' typed operations", () => {
  it('are committed as GraphQL Code Generator makes them from the API schema (run `pnpm codegen`)', async () => {
    const files = await generate({ ...codegenConfig, cwd: REPO_ROOT }, false);
    expect(files.length).toBeGreaterThanOrEqual(APPS_WITH_OPERATIONS.length * 4);
    for (const file of files) expect(await readFile(path.resolve(REPO_ROOT, file.filename), 'utf8'), file.filename).toBe(file.content);
  });

  describe('when the gateway runs only persisted documents', () => {
    let federation: Federation;
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'mega-persisted-'));
      for (const app of APPS_WITH_OPERATIONS) await copyFile(manifestOf(app), path.join(dir, `${app.replace('/', '-')}.json`));
      federation = await startFederation({ seed: true, gateway: { persistedDocuments: { dir, requirePersistedDocuments: true, watch: false } } });
    });
    afterAll(async () => {
      await federation?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it('runs them by their id, as the shell sends them, and refuses any other text', async () => {
      const persisted = (sha256Hash: string) => ({ version: 1, sha256Hash });
      const login = await post(federation.gatewayUrl, {
        variables: { email: DEMO_USERS.alice.email, password: DEMO_USERS.alice.password },
        extensions: { persistedQuery: persisted(await idOf('shell-web', 'LogIn')) },
      });
      expect(login.status).toBe(200);
      const token = (login.body.data?.logIn as { accessToken: string }).accessToken;
      expect(token).toEqual(expect.any(String));

      const conversations = await post(federation.gatewayUrl, { extensions: { persistedQuery: persisted(await idOf('remotes/chat', 'ChatConversations')) } }, token);
      expect(conversations.body.errors).toBeUndefined();
      const titles = (conversations.body.data?.conversations as { edges: { node: { title: string | null } }[] }).edges.map(({ node }) => node.title);
      expect(titles).toContain('Weekend trip');

      const raw = await post(federation.gatewayUrl, { query: '{ conversations(first: 50) { edges { node { id } } } }' }, token);
      expect(raw.status).toBe(400);
      expect(raw.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_REQUIRED');
    });
  });
});
