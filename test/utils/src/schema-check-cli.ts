/**
 * `pnpm schema:check [--base <git-ref>]`: is the API schema that the subgraphs' code makes now
 * safe for the clients of the schema at `<git-ref>` (default `HEAD`; in CI of a branch, e.g.
 * `origin/main`)? Emits each subgraph's schema from code (as `emit-schema` does, into a temporary
 * folder), composes it as `pnpm compose` does, compares the API schema with the committed
 * `gateway/api-schema.graphql` at `<git-ref>` and validates every operation of every web app
 * (`shell-web/src/gql/persisted-documents.json`, `remotes/<app>/src/gql/persisted-documents.json`)
 * against it. Breaking changes pass only when `docs/api-changelog.md` lists them under Unreleased.
 * Prints the report; exits 1 when the check fails, 0 otherwise. Writes no file of the repository.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { buildSchema as buildAccountsSchema } from '@mega/accounts';
import { buildSchema as buildCommerceSchema } from '@mega/commerce';
import { buildSchema as buildCommsSchema } from '@mega/comms';
import { checkSchema, composeApiSchema, formatSchemaCheckReport, repositoryOperations, SUBGRAPH_NAMES } from '@mega/gateway/schema-check';
import { buildSchema as buildMediaSchema } from '@mega/media';
import { emitSubgraphSchema } from '@mega/subgraph-kit';
import { REPO_ROOT } from './services.js';

/** Each subgraph's side-effect-free schema builder (what its `emit-schema` prints). */
const SUBGRAPH_SCHEMAS: Record<(typeof SUBGRAPH_NAMES)[number], () => Promise<Parameters<typeof emitSubgraphSchema>[0]>> = {
  accounts: () => buildAccountsSchema(),
  comms: () => buildCommsSchema(),
  media: () => buildMediaSchema(),
  commerce: () => buildCommerceSchema(),
};

const API_SCHEMA_PATH = 'gateway/api-schema.graphql';
const CHANGELOG_FILE = path.join(REPO_ROOT, 'docs', 'api-changelog.md');

/** The API schema composed from the subgraphs' code, without touching their committed `schema.graphql`. */
async function candidateApiSchema(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'mega-schema-check-'));
  try {
    for (const name of SUBGRAPH_NAMES) {
      await mkdir(path.join(root, 'subgraphs', name), { recursive: true });
      await emitSubgraphSchema(await SUBGRAPH_SCHEMAS[name](), path.join(root, 'subgraphs', name, 'schema.graphql'));
    }
    return await composeApiSchema({ root });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The committed API schema at a git ref. */
async function baselineApiSchema(ref: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('git', ['show', `${ref}:${API_SCHEMA_PATH}`], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`cannot read ${API_SCHEMA_PATH} at ${ref}${stderr ? `: ${stderr}` : ''}`, { cause: error });
  }
}

/** The `--base` argument; exits with the usage on anything else. */
function baseRef(): string {
  try {
    return parseArgs({ options: { base: { type: 'string' } }, strict: true, allowPositionals: false }).values.base ?? 'HEAD';
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nusage: pnpm schema:check [--base <git-ref>]   (default base: HEAD)\n`);
    process.exit(1);
  }
}

const base = baseRef();
try {
  const [baseline, candidate, operations, changelog] = await Promise.all([baselineApiSchema(base), candidateApiSchema(), repositoryOperations(), readFile(CHANGELOG_FILE, 'utf8')]);
  const report = await checkSchema({ baseline, candidate, operations, changelog });
  process.stdout.write(formatSchemaCheckReport(report, { baselineName: `${API_SCHEMA_PATH} at ${base}` }));
  process.exitCode = report.ok ? 0 : 1;
} catch (error) {
  process.stderr.write(`schema:check: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
