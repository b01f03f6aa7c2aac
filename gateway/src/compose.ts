import { access, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { parse, printSchema, type GraphQLError } from 'graphql';
import { DEFAULT_SUPERGRAPH_FILE } from './config.js';
import { createLogger } from './logger.js';

/** The subgraphs of the repository, in composition order, with the URLs they listen on by default. */
export const SUBGRAPH_NAMES = ['accounts', 'comms', 'media', 'commerce'] as const;
const DEFAULT_SUBGRAPH_URLS: Record<(typeof SUBGRAPH_NAMES)[number], string> = {
  accounts: 'http://127.0.0.1:4001/graphql',
  comms: 'http://127.0.0.1:4002/graphql',
  media: 'http://127.0.0.1:4003/graphql',
  commerce: 'http://127.0.0.1:4004/graphql',
};

/** The repository root (`gateway/src/compose.ts` -> `./`). */
const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One subgraph's SDL and where the gateway calls it. */
export interface SubgraphSchema {
  name: string;
  url: string;
  sdl: string;
}

/** Composition found the subgraphs incompatible; `errors` are composition's own. */
export class CompositionFailedError extends Error {
  override name = 'CompositionFailedError';
  constructor(readonly errors: readonly GraphQLError[]) {
    super(`Composition failed:\n${errors.map((error) => `  - ${error.message}`).join('\n')}`);
  }
}

/**
 * Composes subgraph SDLs into a supergraph with `@apollo/composition`.
 * @throws CompositionFailedError listing every composition error
 */
export function composeSupergraph(subgraphs: readonly SubgraphSchema[]): string {
  const result = composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (result.errors) throw new CompositionFailedError(result.errors);
  return `${result.supergraphSdl.trim()}\n`;
}

/**
 * The repository's supergraph: `subgraphs/<name>/schema.graphql` of each of {@link SUBGRAPH_NAMES}
 * (written by each subgraph's `emit-schema`) at the default URLs (127.0.0.1:4001-4004).
 * @throws when a subgraph has no schema.graphql
 */
export async function composeRepositorySupergraph({ root = REPOSITORY_ROOT }: { root?: string } = {}): Promise<string> {
  const subgraphs: SubgraphSchema[] = [];
  for (const name of SUBGRAPH_NAMES) {
    const file = path.join(root, 'subgraphs', name, 'schema.graphql');
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    if (!exists) throw new Error(`${file} is missing; run \`pnpm compose\`, which emits every subgraph's schema first.`);
    subgraphs.push({ name, url: DEFAULT_SUBGRAPH_URLS[name], sdl: await readFile(file, 'utf8') });
  }
  return composeSupergraph(subgraphs);
}

/** The committed API schema (what clients see), beside the supergraph: input of the remotes' code generation. */
export const API_SCHEMA_FILE = fileURLToPath(new URL('../api-schema.graphql', import.meta.url));

/** The schema clients query (no join directives, no federation internals), printed with its descriptions. */
export function apiSchemaOf(supergraphSdl: string): string {
  return `${printSchema(Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema()).trim()}\n`;
}

// Run as a script (`pnpm compose`): write gateway/supergraph.graphql and gateway/api-schema.graphql.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const logger = createLogger('info');
  try {
    const supergraph = await composeRepositorySupergraph();
    await writeFile(DEFAULT_SUPERGRAPH_FILE, supergraph);
    await writeFile(API_SCHEMA_FILE, apiSchemaOf(supergraph));
    logger.info({ file: DEFAULT_SUPERGRAPH_FILE, apiSchema: API_SCHEMA_FILE }, 'supergraph and API schema written');
  } catch (error) {
    if (!(error instanceof CompositionFailedError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
