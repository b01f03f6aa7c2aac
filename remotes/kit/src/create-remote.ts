/**
 * `pnpm create-remote <name> [--title <title>] [--icon <icon>] [--port <port>]`: a new mini-app in
 * `remotes/<name>` from the template (template/): package.json with its `miniApp` field, the vite
 * config through `defineMiniAppConfig`, a root component with one typed query through the shell's
 * client, its generated `src/gql/`, and a README; then an offline `pnpm install` links it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { miniAppEntrySchema, SDK_VERSION } from '@mega/mini-app-sdk';

/** The repository root (remotes/kit/src -> ../../..). */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TEMPLATE_DIR = fileURLToPath(new URL('../template/', import.meta.url));
/** The port of the first mini-app (DESIGN.md: chat 5174, media 5175, shop 5176). */
const FIRST_MINI_APP_PORT = 5174;

export interface CreateRemoteOptions {
  /** The mini-app's id: its folder, package `@mega/<name>`, Module Federation name and route `/<name>`. */
  name: string;
  /** Where its folder is made. @default remotes/ of the workspace */
  remotesDir?: string;
  /** @default the name, capitalised */
  title?: string;
  /** @default '🧩' */
  icon?: string;
  /** Its port in `vite.config.ts`. @default one past the highest of the other mini-apps' */
  port?: number;
  /** Generate `src/gql/` with GraphQL Code Generator (as `pnpm codegen` does for every app). @default true */
  codegen?: boolean;
}

/** The ports named in the mini-apps' vite configs (`port: 5174`). */
function portsInUse(remotesDir: string): number[] {
  if (!existsSync(remotesDir)) return [];
  return readdirSync(remotesDir).flatMap((name) => {
    const config = path.join(remotesDir, name, 'vite.config.ts');
    const match = existsSync(config) ? /\bport:\s*(\d+)/.exec(readFileSync(config, 'utf8')) : null;
    return match ? [Number(match[1])] : [];
  });
}

/** The routes of the other mini-apps (their package.json `miniApp.route`). */
function routesInUse(remotesDir: string): string[] {
  if (!existsSync(remotesDir)) return [];
  return readdirSync(remotesDir).flatMap((name) => {
    const manifest = path.join(remotesDir, name, 'package.json');
    if (!existsSync(manifest)) return [];
    const route = (JSON.parse(readFileSync(manifest, 'utf8')) as { miniApp?: { route?: string } }).miniApp?.route;
    return route ? [route] : [];
  });
}

/**
 * Writes `src/gql/` of one mini-app with the repository's GraphQL Code Generator config
 * (codegen.ts): the options of its mini-apps, for this one's folder.
 */
export async function generateOperations(dir: string): Promise<void> {
  const { generate } = await import('@graphql-codegen/cli');
  const { default: config } = (await import(pathToFileURL(path.join(REPO_ROOT, 'codegen.ts')).href)) as { default: { schema: string; generates: Record<string, object> } };
  // A mini-app's output options (the shell's differ: it keeps its operations as strings).
  const template = Object.entries(config.generates).find(([output]) => output.startsWith('remotes/'))?.[1];
  if (!template) throw new Error('codegen.ts has no output for a mini-app (remotes/<name>/src/gql/) to follow');
  const source = path.join(dir, 'src');
  await generate(
    {
      ...config,
      schema: path.resolve(REPO_ROOT, config.schema),
      generates: { [`${path.join(source, 'gql')}/`]: { ...template, documents: [`${source}/**/*.{ts,tsx}`, `!${source}/gql/**`] } },
      silent: true,
    },
    true,
  );
}

/**
 * Makes a new mini-app from the template.
 * @returns its folder
 * @throws Error when the name is not a valid mini-app id, or its folder or route exists already
 */
export async function createRemote(options: CreateRemoteOptions): Promise<string> {
  const remotesDir = options.remotesDir ?? path.join(REPO_ROOT, 'remotes');
  const { name } = options;
  const id = miniAppEntrySchema.shape.id.safeParse(name);
  if (!id.success || ['kit', 'sdk'].includes(name)) throw new Error(`"${name}" is not a mini-app name: lower-case letters, digits and dashes, 2 to 32, starting with a letter (not kit or sdk)`);
  const dir = path.join(remotesDir, name);
  if (existsSync(dir)) throw new Error(`${dir} exists already`);
  if (routesInUse(remotesDir).includes(`/${name}`)) throw new Error(`another mini-app already has the route /${name}`);
  const port = options.port ?? Math.max(FIRST_MINI_APP_PORT - 1, ...portsInUse(remotesDir)) + 1;
  const title = options.title ?? name.charAt(0).toUpperCase() + name.slice(1).replace(/-/g, ' ');
  const words = name.split('-');
  const values: Record<string, string> = {
    __NAME__: name,
    __TITLE__: title.replace(/["\\]/g, ''),
    __ICON__: (options.icon ?? '🧩').replace(/["\\]/g, ''),
    __PORT__: String(port),
    __SDK_MAJOR__: SDK_VERSION.split('.')[0]!,
    __PASCAL__: words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(''),
    __CONST__: words.join('_').toUpperCase(),
  };
  const fill = (text: string) => text.replace(/__[A-Z_]+?__/g, (key) => values[key] ?? key);
  const files = ['package.json', 'vite.config.ts', 'README.md', 'src/app.tsx', 'src/operations.ts'];
  for (const file of files) {
    const target = path.join(dir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, fill(await readFile(path.join(TEMPLATE_DIR, `${file}.tpl`), 'utf8')));
  }
  if (options.codegen ?? true) await generateOperations(dir);
  return dir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { title: { type: 'string' }, icon: { type: 'string' }, port: { type: 'string' } },
  });
  const [name] = positionals;
  if (!name || positionals.length > 1) {
    console.error('Usage: pnpm create-remote <name> [--title <title>] [--icon <icon>] [--port <port>]');
    process.exit(1);
  }
  try {
    const dir = await createRemote({
      name,
      ...(values.title ? { title: values.title } : {}),
      ...(values.icon ? { icon: values.icon } : {}),
      ...(values.port ? { port: Number(values.port) } : {}),
    });
    console.log(`Created ${path.relative(process.cwd(), dir)}; linking it (pnpm install --offline)…`);
    const install = spawnSync('npx', ['-y', 'pnpm@10', 'install', '--offline'], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (install.status !== 0) console.error('The offline install failed: run `npx -y pnpm@10 install` once you are online.');
    console.log(`
Next steps:
  npx -y pnpm@10 --filter @mega/${name} dev     run it alone in the dev host (needs the gateway: npx -y pnpm@10 start)
  npx -y pnpm@10 start                         the shell lists it at /${name} (it is built on start)
  Edit remotes/${name}/src/app.tsx; after changing an operation, npx -y pnpm@10 codegen.
  Deploy: npx -y pnpm@10 --filter @mega/${name} build, serve dist/ from any URL, and add its entry
  (the miniApp field of package.json plus manifestUrl) to the registry (docs/mini-apps.md).`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
