import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@mega/test-utils';
import { parse, print, visit } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { acceptedBreakingChanges, ApiChangelogError } from '../api-changelog.js';
import { API_SCHEMA_FILE } from '../compose.js';
import { checkSchema, formatSchemaCheckReport, repositoryOperations, type AppOperation } from '../schema-check.js';

/** The committed changelog's layout with the given Unreleased entries, and a released section below. */
function changelog({ unreleased = [] as string[], released = [] as string[] } = {}): string {
  return ['# API changelog', '', 'Intro.', '', '## Unreleased', '', ...unreleased, '', '## 2026-11-01', '', ...released, ''].join('\n');
}

/** `sdl` without the field `type.field`. */
function withoutField(sdl: string, type: string, field: string): string {
  const document = visit(parse(sdl), {
    ObjectTypeDefinition: (node) => (node.name.value === type ? { ...node, fields: node.fields?.filter(({ name }) => name.value !== field) } : undefined),
  });
  const result = print(document);
  if (result === print(parse(sdl))) throw new Error(`${type}.${field} is not in the schema`);
  return result;
}

describe('schema check (pnpm schema:check)', () => {
  let baseline: string;
  let operations: AppOperation[];
  beforeAll(async () => {
    baseline = await readFile(API_SCHEMA_FILE, 'utf8');
    operations = await repositoryOperations();
  });

  it('fails when a field a mini-app queries is removed, naming the change and each broken operation with its app, even when the changelog accepts it', async () => {
    const candidate = withoutField(baseline, 'Message', 'body');
    const report = await checkSchema({ baseline, candidate, operations, changelog: changelog() });

    expect(report.ok).toBe(false);
    expect(report.breaking).toEqual([expect.objectContaining({ type: 'FIELD_REMOVED', path: 'Message.body', accepted: false })]);
    expect(report.brokenOperations).toContainEqual({ app: 'remotes/chat', name: 'ChatConversations', errors: ['Cannot query field "body" on type "Message".'] });
    expect(report.brokenOperations.every(({ app }) => app === 'remotes/chat')).toBe(true);
    const printed = formatSchemaCheckReport(report);
    expect(printed).toMatch(/Message\.body: Field 'body' was removed from object type 'Message'.*NOT in docs\/api-changelog\.md/);
    expect(printed).toContain('remotes/chat ChatConversations:\n    Cannot query field "body" on type "Message".');

    const accepted = await checkSchema({ baseline, candidate, operations, changelog: changelog({ unreleased: ['- breaking `Message.body`: renamed to `text`.'] }) });
    expect(accepted.breaking).toEqual([expect.objectContaining({ path: 'Message.body', accepted: true })]);
    expect(accepted.ok).toBe(false);
  });

  it('passes an additive change (a new type and a new optional field) and lists it as safe', async () => {
    const candidate = `${baseline}\ntype Sticker {\n  id: ID!\n  url: String!\n}\n\nextend type Message {\n  sticker: Sticker\n}\n`;
    const report = await checkSchema({ baseline, candidate, operations, changelog: changelog() });

    expect(report.ok).toBe(true);
    expect(report.breaking).toEqual([]);
    expect(report.brokenOperations).toEqual([]);
    expect(report.operationCount).toBe(operations.length);
    expect(operations.length).toBeGreaterThan(20);
    expect(report.safe).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'TYPE_ADDED', path: 'Sticker' }), expect.objectContaining({ type: 'FIELD_ADDED', path: 'Message.sticker' })]),
    );
    expect(formatSchemaCheckReport(report)).toMatch(/Safe:\n(.*\n)* {2}Message\.sticker: /);
  });

  it('fails a breaking change to a field no app uses unless the changelog lists it under Unreleased', async () => {
    const candidate = withoutField(baseline, 'User', 'createdAt');
    const check = (text: string) => checkSchema({ baseline, candidate, operations, changelog: text });

    const unrecorded = await check(changelog({ unreleased: ['- added `Message.sticker`.'] }));
    expect(unrecorded.ok).toBe(false);
    expect(unrecorded.breaking).toEqual([expect.objectContaining({ type: 'FIELD_REMOVED', path: 'User.createdAt', accepted: false })]);
    expect(unrecorded.brokenOperations).toEqual([]);

    const onlyReleased = await check(changelog({ released: ['- breaking `User.createdAt`: removed.'] }));
    expect(onlyReleased.ok).toBe(false);

    const recorded = await check(changelog({ unreleased: ['- breaking `User.createdAt`: removed; no client reads it.'] }));
    expect(recorded.ok).toBe(true);
    expect(recorded.breaking).toEqual([expect.objectContaining({ path: 'User.createdAt', accepted: true })]);
    expect(formatSchemaCheckReport(recorded)).toContain('User.createdAt: Field \'createdAt\' was removed from object type \'User\'  [accepted: docs/api-changelog.md]');
  });

  it('reads the changelog strictly: a malformed breaking line or a missing Unreleased heading is an error naming the line', () => {
    expect(acceptedBreakingChanges(changelog({ unreleased: ['- breaking `User.email`: gone.', '- breaking `Query.products.search`: gone.', 'free text'] }))).toEqual([
      { coordinate: 'User.email', reason: 'gone.', line: 7 },
      { coordinate: 'Query.products.search', reason: 'gone.', line: 8 },
    ]);
    expect(() => acceptedBreakingChanges(changelog({ unreleased: ['- breaking User.email: no backticks'] }))).toThrow(/line 7: a breaking entry reads/);
    expect(() => acceptedBreakingChanges(changelog({ unreleased: ['- breaking `User.email`'] }))).toThrow(ApiChangelogError);
    expect(() => acceptedBreakingChanges(changelog({ unreleased: ['- Breaking `User.email`: capital B'] }))).toThrow(/line 7/);
    expect(() => acceptedBreakingChanges(changelog({ unreleased: ['- breaking `User email`: not a coordinate'] }))).toThrow(/"User email" is not a schema coordinate/);
    expect(() => acceptedBreakingChanges('# API changelog\n\n- breaking `User.email`: no section\n')).toThrow(/no "## Unreleased" heading/);
  });

  it('the CLI on the repository as committed exits 0, having validated every app\'s operations, and writes no committed file', { timeout: 120_000 }, async () => {
    const committed = ['accounts', 'comms', 'media', 'commerce'].map((name) => path.join(REPO_ROOT, 'subgraphs', name, 'schema.graphql')).concat(API_SCHEMA_FILE);
    const modifiedAt = async () => Promise.all(committed.map(async (file) => (await stat(file)).mtimeMs));
    const before = await modifiedAt();

    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/utils/src/schema-check-cli.ts'], { cwd: REPO_ROOT, timeout: 90_000 });

    expect(stdout).toContain(`All ${operations.length} operations of the apps validate against the new schema.`);
    expect(stdout).toMatch(/Schema check passed\.\n$/);
    expect(await modifiedAt()).toEqual(before);
  });
});
