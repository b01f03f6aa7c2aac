import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema, Kind, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { acceptedBreakingChanges } from './api-changelog.js';
import { apiSchemaOf, composeRepositorySupergraph } from './compose.js';

/*
 * `pnpm schema:check` (its command: test/utils/src/schema-check-cli.ts), exported as
 * `@mega/gateway/schema-check`: repository tooling, kept out of the gateway's runtime surface.
 */
export { acceptedBreakingChanges, ApiChangelogError, type AcceptedBreakingChange } from './api-changelog.js';
export { SUBGRAPH_NAMES } from './compose.js';

/** One operation document of a web app (an entry of its `src/gql/persisted-documents.json`). */
export interface AppOperation {
  /** The app's folder: `shell-web`, `remotes/chat`, ... */
  app: string;
  /** The operation's name, or its persisted id when it has none. */
  name: string;
  /** The whole document: the operation and the fragments it spreads. */
  document: string;
}

/** One difference between the baseline and the candidate API schema, from `@graphql-inspector/core`. */
export interface SchemaChange {
  /** graphql-inspector's change type, e.g. `FIELD_REMOVED`. */
  type: string;
  /** The schema coordinate changed (`Message.body`); what the changelog lists to accept a breaking change. */
  path: string | undefined;
  /** graphql-inspector's message, e.g. `Field 'body' was removed from object type 'Message'`. */
  message: string;
}

/** A breaking change and whether the changelog's Unreleased section accepts it. */
export interface BreakingSchemaChange extends SchemaChange {
  accepted: boolean;
}

/** An operation of an app that does not validate against the candidate schema. */
export interface BrokenOperation extends Omit<AppOperation, 'document'> {
  /** graphql-js's validation (or syntax) errors, e.g. `Cannot query field "body" on type "Message".` */
  errors: string[];
}

/** What {@link checkSchema} found. */
export interface SchemaCheckReport {
  /** `false` when a breaking change is not accepted by the changelog or an operation is broken. */
  ok: boolean;
  breaking: BreakingSchemaChange[];
  dangerous: SchemaChange[];
  safe: SchemaChange[];
  brokenOperations: BrokenOperation[];
  /** How many operations were validated. */
  operationCount: number;
}

/** What {@link checkSchema} compares. */
export interface SchemaCheckInput {
  /** The API schema SDL before the change (e.g. the committed `gateway/api-schema.graphql` at `HEAD`). */
  baseline: string;
  /** The API schema SDL after the change (composed from the subgraphs' code). */
  candidate: string;
  /** Every operation of every app, validated against `candidate`. */
  operations: readonly AppOperation[];
  /** The text of `docs/api-changelog.md` (format: `api-changelog.ts`). */
  changelog: string;
}

/**
 * Compares two API schemas and validates the apps' operations against the new one.
 * @returns the changes by criticality and the broken operations; `ok` is `false` on any breaking
 *   change whose path the changelog's Unreleased section does not list, or any broken operation
 * @throws ApiChangelogError when the changelog does not follow its format; graphql-js's error when an SDL is invalid
 */
export async function checkSchema({ baseline, candidate, operations, changelog }: SchemaCheckInput): Promise<SchemaCheckReport> {
  const accepted = new Set(acceptedBreakingChanges(changelog).map(({ coordinate }) => coordinate));
  const candidateSchema = buildSchema(candidate);
  const changes = await diff(buildSchema(baseline), candidateSchema);
  const at = (level: CriticalityLevel) => changes.filter((change) => change.criticality.level === level).map(schemaChange);

  const breaking = at(CriticalityLevel.Breaking).map((change) => ({ ...change, accepted: change.path !== undefined && accepted.has(change.path) }));
  const brokenOperations: BrokenOperation[] = [];
  for (const { app, name, document } of operations) {
    const errors = operationErrors(candidateSchema, document);
    if (errors.length > 0) brokenOperations.push({ app, name, errors });
  }
  return {
    ok: breaking.every((change) => change.accepted) && brokenOperations.length === 0,
    breaking,
    dangerous: at(CriticalityLevel.Dangerous),
    safe: at(CriticalityLevel.NonBreaking),
    brokenOperations,
    operationCount: operations.length,
  };
}

function schemaChange(change: Change): SchemaChange {
  return { type: change.type, path: change.path, message: change.message };
}

function operationErrors(schema: GraphQLSchema, document: string): string[] {
  let ast: DocumentNode;
  try {
    ast = parse(document);
  } catch (error) {
    return [(error as Error).message];
  }
  return validate(schema, ast).map((error) => error.message);
}

/**
 * The operations of one app's persisted-documents manifest (`{ "<id>": "<document>" }`), each named
 * after its operation (the persisted id when the document has no named operation or does not parse).
 */
export function appOperations(app: string, manifest: Readonly<Record<string, string>>): AppOperation[] {
  return Object.entries(manifest).map(([id, document]) => ({ app, name: operationName(document) ?? id, document }));
}

/**
 * The API schema that `pnpm compose` would write for the subgraph schemas under `root`
 * (`subgraphs/<name>/schema.graphql` of each subgraph).
 * @throws CompositionFailedError listing every composition error
 */
export async function composeApiSchema({ root }: { root: string }): Promise<string> {
  return apiSchemaOf(await composeRepositorySupergraph({ root }));
}

/** The repository root (`gateway/src/schema-check.ts` -> `./`). */
const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Every operation of the shell and of each mini-app: the `src/gql/persisted-documents.json` that
 * codegen writes in `shell-web/` and in each `remotes/<app>/` that has one, apps in folder order.
 */
export async function repositoryOperations({ root = REPOSITORY_ROOT }: { root?: string } = {}): Promise<AppOperation[]> {
  const remotes = (await readdir(path.join(root, 'remotes'), { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => `remotes/${entry.name}`);
  const operations: AppOperation[] = [];
  for (const app of ['shell-web', ...remotes.sort()]) {
    const manifest = path.join(root, app, 'src', 'gql', 'persisted-documents.json');
    if (existsSync(manifest)) operations.push(...appOperations(app, JSON.parse(await readFile(manifest, 'utf8')) as Record<string, string>));
  }
  return operations;
}

function operationName(document: string): string | undefined {
  try {
    return parse(document).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION)?.name?.value;
  } catch {
    return undefined;
  }
}

/** The report as `pnpm schema:check` prints it: every change with its path, every broken operation with its app, then the verdict. */
export function formatSchemaCheckReport(report: SchemaCheckReport, { baselineName = 'the baseline' }: { baselineName?: string } = {}): string {
  const change = ({ path: coordinate, message }: SchemaChange) => `  ${coordinate ?? '(schema)'}: ${message}`;
  const lines: string[] = [];
  const total = report.breaking.length + report.dangerous.length + report.safe.length;
  lines.push(total === 0 ? `No change to the API schema since ${baselineName}.` : `${total} change(s) to the API schema since ${baselineName}:`);
  if (report.breaking.length > 0) {
    lines.push('Breaking:');
    for (const breaking of report.breaking) lines.push(`${change(breaking)}${breaking.accepted ? '  [accepted: docs/api-changelog.md]' : '  [NOT in docs/api-changelog.md Unreleased]'}`);
  }
  if (report.dangerous.length > 0) lines.push('Dangerous (allowed; existing operations may get values they did not get before):', ...report.dangerous.map(change));
  if (report.safe.length > 0) lines.push('Safe:', ...report.safe.map(change));
  if (report.brokenOperations.length > 0) {
    lines.push(`Operations that no longer validate (${report.brokenOperations.length} of ${report.operationCount}):`);
    for (const { app, name, errors } of report.brokenOperations) lines.push(`  ${app} ${name}:`, ...errors.map((error) => `    ${error}`));
  } else {
    lines.push(`All ${report.operationCount} operations of the apps validate against the new schema.`);
  }
  const unaccepted = report.breaking.filter((breaking) => !breaking.accepted).length;
  if (report.ok) lines.push('Schema check passed.');
  else {
    const reasons = [
      ...(unaccepted > 0 ? [`${unaccepted} breaking change(s) not recorded (add "- breaking \`<path>\`: <why>" under "## Unreleased" in docs/api-changelog.md)`] : []),
      ...(report.brokenOperations.length > 0 ? [`${report.brokenOperations.length} operation(s) broken (change the schema back, or the apps' operations first)`] : []),
    ];
    lines.push(`Schema check failed: ${reasons.join('; ')}.`);
  }
  return `${lines.join('\n')}\n`;
}
