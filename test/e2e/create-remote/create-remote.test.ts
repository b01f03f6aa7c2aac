import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemote } from '@mega/mini-app-kit/create-remote';
import { buildWebApp, DEMO_USERS, REPO_ROOT, startWeb, type Web } from '@mega/test-utils';

/**
 * Links a mini-app made outside the workspace to what the workspace installed, as `pnpm install`
 * would: its `@mega/*` dependencies to their packages, the others to the copies the shell and the
 * kit resolve (the same versions the template names).
 */
async function linkDependencies(dir: string): Promise<void> {
  const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
  const workspace: Record<string, string> = { '@mega/mini-app-kit': 'remotes/kit', '@mega/mini-app-sdk': 'remotes/sdk' };
  for (const name of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
    const target =
      name in workspace
        ? path.join(REPO_ROOT, workspace[name]!)
        : ['shell-web', 'remotes/kit'].map((pkg) => path.join(REPO_ROOT, pkg, 'node_modules', name)).find((candidate) => existsSync(candidate));
    if (!target) throw new Error(`${name} is installed nowhere in the workspace`);
    const link = path.join(dir, 'node_modules', name);
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(realpathSync(target), link, 'dir');
  }
}

describe('pnpm create-remote makes a mini-app that builds, registers and runs in the shell', () => {
  const name = `hello-${randomBytes(3).toString('hex')}`;
  let remotesDir: string;
  let dir: string;
  let web: Web;

  beforeAll(async () => {
    // Made in a temporary folder, not remotes/: other tests and builds running meanwhile must not see it.
    remotesDir = await mkdtemp(path.join(tmpdir(), 'mega-create-remote-'));
    dir = await createRemote({ name, remotesDir, title: 'Hello', icon: '👋' });
    await linkDependencies(dir);
    web = await startWeb({ remotes: [], remoteDirs: [dir] });
  });
  afterAll(async () => {
    await web?.stop();
    if (remotesDir) await rm(remotesDir, { recursive: true, force: true });
  });

  it('writes the miniApp field, the vite config through the factory, a root component and its typed query', async () => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; miniApp: Record<string, unknown> };
    expect(manifest.name).toBe(`@mega/${name}`);
    expect(manifest.miniApp).toMatchObject({ id: name, title: 'Hello', icon: '👋', route: `/${name}`, capabilities: expect.arrayContaining(['session', 'graphql']) });
    await expect(readFile(path.join(dir, 'vite.config.ts'), 'utf8')).resolves.toContain(`defineMiniAppConfig({ name: '${name}', port: 5174,`);
    // GraphQL Code Generator typed the query, named after the mini-app (and gave it its persisted id).
    const operation = `${name.split('-').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')}Viewer`;
    await expect(readFile(path.join(dir, 'src/gql/graphql.ts'), 'utf8')).resolves.toContain(`export type ${operation}Query = `);
    await expect(readFile(path.join(dir, 'src/gql/persisted-documents.json'), 'utf8')).resolves.toContain(`query ${operation}`);
  });

  it('is listed by the generated registry and runs in the shell, querying through the shell\'s client and notifying through its context', async () => {
    expect(web.registry()).toMatchObject({ apps: [{ id: name, title: 'Hello', route: `/${name}`, manifestUrl: web.remotes.get(name)!.manifestUrl }] });
    const page = await web.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await web.signIn(page);
    await page.goto(web.appUrl(name));
    await page.getByRole('heading', { name: 'Hello' }).waitFor();
    await page.getByText(`Signed in as ${DEMO_USERS.alice.displayName}.`).waitFor();
    await page.getByRole('button', { name: 'Say hello' }).click();
    await page.getByRole('region', { name: 'Notifications' }).getByText('Hello from Hello').waitFor();
    expect(errors).toEqual([]);
  });

  it('is picked up by a reload of the shell once rebuilt and redeployed alone, the shell untouched', async () => {
    const page = await web.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await web.signIn(page);
    await page.goto(web.appUrl(name));
    await page.getByRole('button', { name: 'Say hello' }).waitFor();
    const shellPage = async () => (await fetch(`${web.shellUrl}/`)).text();
    const shellBefore = await shellPage();

    // The team changes its mini-app, builds it and deploys the new build where the old one was.
    const app = path.join(dir, 'src/app.tsx');
    await writeFile(app, (await readFile(app, 'utf8')).replace('Say hello', 'Say hello again'));
    const previous = web.remotes.get(name)!.outDir;
    const next = await buildWebApp(dir);
    expect(next.outDir).not.toBe(previous);
    await web.deployRemote(name, next.outDir);

    await page.reload();
    await page.getByRole('button', { name: 'Say hello again' }).waitFor();
    await expect(page.getByRole('button', { name: 'Say hello', exact: true }).count()).resolves.toBe(0);
    await expect(shellPage()).resolves.toBe(shellBefore);
    expect(errors).toEqual([]);

    // And a rollback is a deployment of the previous build.
    await web.deployRemote(name, previous);
    await page.reload();
    await page.getByRole('button', { name: 'Say hello', exact: true }).waitFor();
    await page.context().close();
  });

  it('refuses a name that is not a mini-app id, and one whose folder or route exists already', async () => {
    await expect(createRemote({ name: 'Not_An_Id', remotesDir })).rejects.toThrow(/is not a mini-app name/);
    await expect(createRemote({ name, remotesDir })).rejects.toThrow(/exists already/);
    await expect(createRemote({ name: 'chat' })).rejects.toThrow(/exists already/);
  });
});
