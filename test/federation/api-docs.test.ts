import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  LOGIN_ACCOUNT_LIMIT,
  LOGIN_IP_LIMIT,
  LOGIN_PAIR_LIMIT,
  REFRESH_GRACE_WINDOW_MS,
  REFRESH_TOKEN_TTL_MS,
} from '@mega/accounts';
import { MAX_CART_LINES, MAX_LINE_QUANTITY, MAX_SEARCH_LENGTH } from '@mega/commerce';
import {
  CONVERSATION_MEMBERS_MAX,
  CONVERSATION_MEMBERS_MIN,
  CONVERSATION_TITLE_MAX_LENGTH,
  MESSAGE_ATTACHMENTS_MAX,
  MESSAGE_BODY_MAX_LENGTH,
} from '@mega/comms';
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_PAGE_SIZE,
  DEFAULT_OPERATION_LIMITS,
  DEFAULT_RATE_LIMITS,
  DEFAULT_SUBSCRIPTION_LIMITS,
  GatewayErrorCode,
} from '@mega/gateway';
import { DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_UPLOAD_QUOTA_BYTES, DEFAULT_UPLOAD_TOKEN_TTL_SECONDS } from '@mega/media';
import {
  DEFAULT_MAX_BODY_BYTES as SUBGRAPH_MAX_BODY_BYTES,
  DEFAULT_MAX_PENDING_EVENTS,
  DEFAULT_PAGE_SIZE,
  ErrorCode,
  MAX_CLIENT_MUTATION_ID_LENGTH,
  MAX_PAGE_SIZE,
} from '@mega/subgraph-kit';
import { REPO_ROOT, startFederation, type Federation } from '@mega/test-utils';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../subgraphs/accounts/src/user/validation.js';

/**
 * docs/api.md is the integrators' guide, and every example in it runs here against a seeded
 * federation (the gateway in process, so examples run in child processes, never synchronously):
 *
 * - ```sh: bash, in document order, as one session would: the upper-case variables a block assigns
 *   (TOKEN, CURSOR, ...) are carried to the next blocks; `GATEWAY` is the federation's gateway.
 * - ```sh production: the same, with `GATEWAY` a second gateway that runs only persisted documents,
 *   loaded from the doc's ```json manifest blocks.
 * - ```js: a complete ES module, run by node from the repository (so `graphql-ws` and `ws` resolve).
 * - ```json / ```text right after one of those: what it prints. JSON: the same values, where "…"
 *   matches any value, a "…" key allows more keys and a last "…" item more items. Text: the same
 *   lines, where "…" in a line matches any characters and a line "…" any number of lines.
 *   A runnable block without one must print nothing.
 *
 * Any other code block fails the test, so that every example in the doc stays run.
 */

const exec = promisify(execFile);
const DOC = path.join(REPO_ROOT, 'docs/api.md');
const ANY = '…';

interface CodeBlock {
  lang: string;
  meta: string;
  code: string;
  line: number;
}

interface Example extends CodeBlock {
  expected: CodeBlock | undefined;
}

function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^```(\S*)\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i += 1; i < lines.length && !/^```\s*$/.test(lines[i]!); i += 1) body.push(lines[i]!);
    if (i === lines.length) throw new Error(`docs/api.md:${start + 1}: code block never closed`);
    blocks.push({ lang: open[1]!, meta: open[2]!.trim(), code: body.join('\n'), line: start + 1 });
  }
  return blocks;
}

const RUNNABLE = new Set(['sh', 'sh production', 'js']);
const kindOf = (block: CodeBlock) => (block.meta ? `${block.lang} ${block.meta}` : block.lang);

/** The doc's examples, its manifests, and the blocks this test does not know how to run. */
function readDoc(markdown: string) {
  const blocks = codeBlocks(markdown);
  const examples: Example[] = [];
  const manifests: CodeBlock[] = [];
  const unknown: CodeBlock[] = [];
  for (let i = 0; i < blocks.length; i += 1) {
    const block = blocks[i]!;
    const kind = kindOf(block);
    if (kind === 'json manifest') manifests.push(block);
    else if (RUNNABLE.has(kind)) {
      const next = blocks[i + 1];
      const isOutput = next !== undefined && (kindOf(next) === 'json' || kindOf(next) === 'text');
      examples.push({ ...block, expected: isOutput ? next : undefined });
      if (isOutput) i += 1;
    } else unknown.push(block);
  }
  return { examples, manifests, unknown };
}

/** Consecutive JSON values in `text` (a program may print several). */
function jsonValues(text: string): unknown[] {
  const values: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i += 1;
      continue;
    }
    let depth = 0;
    let inString = false;
    let j = i;
    for (; j < text.length; j += 1) {
      const c = text[j]!;
      if (inString) {
        if (c === '\\') j += 1;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth += 1;
      else if (c === '}' || c === ']') {
        depth -= 1;
        if (depth === 0) break;
      } else if (depth === 0 && /\s/.test(c)) {
        j -= 1;
        break;
      }
    }
    values.push(JSON.parse(text.slice(i, j + 1)));
    i = j + 1;
  }
  return values;
}

/** Where `actual` differs from `expected` (see the file's comment for "…"), or undefined. */
function jsonMismatch(expected: unknown, actual: unknown, at = '$'): string | undefined {
  if (expected === ANY) return actual === undefined ? `${at}: missing` : undefined;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}: expected an array, got ${JSON.stringify(actual)}`;
    const open = expected.at(-1) === ANY;
    const items = open ? expected.slice(0, -1) : expected;
    if (open ? actual.length < items.length : actual.length !== items.length) {
      return `${at}: expected ${open ? 'at least ' : ''}${items.length} items, got ${actual.length}`;
    }
    for (const [index, item] of items.entries()) {
      const mismatch = jsonMismatch(item, actual[index], `${at}[${index}]`);
      if (mismatch) return mismatch;
    }
    return undefined;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return `${at}: expected an object, got ${JSON.stringify(actual)}`;
    const open = ANY in expected;
    for (const [key, value] of Object.entries(expected)) {
      if (key === ANY) continue;
      if (!(key in actual)) return `${at}.${key}: missing`;
      const mismatch = jsonMismatch(value, (actual as Record<string, unknown>)[key], `${at}.${key}`);
      if (mismatch) return mismatch;
    }
    const extra = Object.keys(actual).filter((key) => !(key in expected));
    if (!open && extra.length > 0) return `${at}: unexpected ${extra.join(', ')} in ${JSON.stringify(actual)}`;
    return undefined;
  }
  return expected === actual ? undefined : `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^$()|[\]{}\\]/g, (char) => `\\${char}`);

function lineMatcher(line: string): RegExp {
  return new RegExp('^' + line.split(ANY).map(escapeRegExp).join('.*') + '$');
}

/** Whether `actual` lines match `expected` ones; a line "…" matches any number of lines. */
function linesMatch(expected: string[], actual: string[]): boolean {
  const [first, ...rest] = expected;
  if (first === undefined) return actual.length === 0;
  if (first === ANY) return actual.some((_, skip) => linesMatch(rest, actual.slice(skip))) || linesMatch(rest, []);
  return actual.length > 0 && lineMatcher(first).test(actual[0]!) && linesMatch(rest, actual.slice(1));
}

const trimmedLines = (text: string) => text.replace(/\r/g, '').replace(/\n+$/, '').split('\n');

function checkOutput(example: Example, stdout: string): void {
  const where = `docs/api.md:${example.line}`;
  if (!example.expected) {
    expect(stdout, `${where} prints nothing (it has no output block)`).toBe('');
    return;
  }
  if (example.expected.lang === 'json') {
    const expected = jsonValues(example.expected.code);
    let actual: unknown[];
    try {
      actual = jsonValues(stdout);
    } catch {
      throw new Error(`${where} printed no JSON:\n${stdout}`);
    }
    expect(actual.length, `${where}: how many JSON values it prints\n${stdout}`).toBe(expected.length);
    for (const [index, value] of expected.entries()) {
      const mismatch = jsonMismatch(value, actual[index]);
      expect(mismatch, `${where}, output ${index + 1}:\n${stdout}`).toBeUndefined();
    }
    return;
  }
  const ok = linesMatch(trimmedLines(example.expected.code), stdout === '' ? [] : trimmedLines(stdout));
  expect(ok, `${where} printed:\n${stdout}\nexpected (line ${example.expected.line}):\n${example.expected.code}`).toBe(true);
}

/** Upper-case shell variables a block assigns at the start of a line, to carry to later blocks. */
function assignedVariables(code: string): string[] {
  return [...new Set([...code.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!))].filter((name) => name !== 'GATEWAY');
}

const doc = readDoc(readFileSync(DOC, 'utf8'));

describe('docs/api.md', () => {
  let federation: Federation;
  let productionGateway: string;
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'mega-api-docs-'));
    const manifestsDir = path.join(workDir, 'manifests');
    await exec('mkdir', ['-p', manifestsDir]);
    for (const [index, manifest] of doc.manifests.entries()) await writeFile(path.join(manifestsDir, `doc-${index}.json`), manifest.code);
    federation = await startFederation({ seed: true });
    productionGateway = await federation.startGateway({ persistedDocuments: { dir: manifestsDir, requirePersistedDocuments: true, watch: false } });
  });
  afterAll(async () => {
    await federation?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('has only code blocks this test runs (sh, sh production, js, their output, json manifest)', () => {
    expect(doc.unknown.map((block) => `line ${block.line}: \`\`\`${kindOf(block)}`)).toEqual([]);
    expect(doc.examples.filter((example) => example.lang === 'sh').length).toBeGreaterThan(10);
    expect(doc.examples.some((example) => example.lang === 'js' && /from 'graphql-ws'/.test(example.code))).toBe(true);
  });

  it('names each persisted document by the SHA-256 of its text', () => {
    expect(doc.manifests.length).toBeGreaterThan(0);
    for (const manifest of doc.manifests) {
      for (const [id, text] of Object.entries(JSON.parse(manifest.code) as Record<string, string>)) {
        expect(id, `docs/api.md:${manifest.line}`).toBe(createHash('sha256').update(text).digest('hex'));
      }
    }
  });

  describe('every example runs and prints what the doc says', () => {
    const stateFile = () => path.join(workDir, 'shell-state.sh');

    for (const example of doc.examples) {
      const firstLine = example.code.split('\n').find((line) => line.trim() && !line.startsWith('//')) ?? '';
      it(`line ${example.line} (${kindOf(example)}): ${firstLine.slice(0, 70)}`, async () => {
        const gateway = example.meta === 'production' ? productionGateway : federation.gatewayUrl;
        const env = { ...process.env, GATEWAY: gateway };
        let stdout: string;
        if (example.lang === 'sh') {
          const carried = assignedVariables(example.code);
          const script = [
            'set -euo pipefail',
            `if [ -f '${stateFile()}' ]; then source '${stateFile()}'; fi`,
            example.code,
            ...(carried.length > 0 ? [`declare -p ${carried.join(' ')} >> '${stateFile()}'`] : []),
          ].join('\n');
          const result = await exec('bash', ['-c', script], { env, cwd: workDir, timeout: 20_000 }).catch((error: Error & { stdout?: string; stderr?: string }) => {
            throw new Error(`docs/api.md:${example.line} failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
          });
          stdout = result.stdout;
        } else {
          stdout = await runModule(example, env);
        }
        checkOutput(example, stdout);
      });
    }
  });

  it('catalogues exactly the error codes the API answers with', () => {
    const section = sectionOf(readFileSync(DOC, 'utf8'), '### Error codes');
    const rows = tableRows(section);
    const catalogued = rows.map((cells) => /^`([A-Z_]+)`$/.exec(cells[0]!)?.[1]);
    // Besides the gateway's and the subgraphs' catalogues: Apollo Server's parse and validation codes.
    const answered = new Set<string>([
      ...Object.values(GatewayErrorCode),
      ...Object.values(ErrorCode),
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(catalogued.filter((code) => code === undefined), 'rows whose first cell is not a `CODE`').toEqual([]);
    expect(new Set(catalogued).size, 'each code once').toBe(catalogued.length);
    expect([...catalogued].sort()).toEqual([...answered].sort());
    for (const cells of rows) expect(cells.every((cell) => cell.length > 0), `a status, a meaning and a retry for ${cells[0]}`).toBe(true);
  });

  it('states the limits the code has (the limits table against the constants)', () => {
    const mib = (bytes: number) => `${bytes} bytes (${bytes / 2 ** 20} MiB)`;
    const perWindow = (limit: { points: number; durationSeconds: number }) => `${limit.points} per ${limit.durationSeconds} s`;
    const login = (limit: typeof LOGIN_PAIR_LIMIT) => `${perWindow(limit)}, then blocked ${limit.blockSeconds} s`;
    const expected: Record<string, string> = {
      'request body': mib(DEFAULT_MAX_BODY_BYTES),
      'query depth': String(DEFAULT_OPERATION_LIMITS.maxDepth),
      aliases: String(DEFAULT_OPERATION_LIMITS.maxAliases),
      directives: String(DEFAULT_OPERATION_LIMITS.maxDirectives),
      tokens: String(DEFAULT_OPERATION_LIMITS.maxTokens),
      cost: String(DEFAULT_OPERATION_LIMITS.maxCost),
      'page size (`first`)': `${DEFAULT_PAGE_SIZE} when omitted, at most ${MAX_PAGE_SIZE}`,
      'requests per address': perWindow(DEFAULT_RATE_LIMITS.perIp),
      'anonymous requests per address': perWindow(DEFAULT_RATE_LIMITS.perAnonymousIp),
      'requests per user': perWindow(DEFAULT_RATE_LIMITS.perUser),
      'failed sign-ins per account and address': login(LOGIN_PAIR_LIMIT),
      'failed sign-ins per address': login(LOGIN_IP_LIMIT),
      'failed sign-ins per account': `${login(LOGIN_ACCOUNT_LIMIT)} (not for addresses that signed in to it before)`,
      'access token': `${ACCESS_TOKEN_TTL_SECONDS} s`,
      'refresh token': `${REFRESH_TOKEN_TTL_MS / 86_400_000} days from when it was issued; a retry within ${REFRESH_GRACE_WINDOW_MS / 1000} s gets the same successor`,
      '`clientMutationId`': `1 to ${MAX_CLIENT_MUTATION_ID_LENGTH} characters`,
      'message body': `${MESSAGE_BODY_MAX_LENGTH} characters; ${MESSAGE_ATTACHMENTS_MAX} attachments and products`,
      conversation: `${CONVERSATION_MEMBERS_MIN} to ${CONVERSATION_MEMBERS_MAX} members; title ${CONVERSATION_TITLE_MAX_LENGTH} characters`,
      cart: `${MAX_CART_LINES} lines; ${MAX_LINE_QUANTITY} of each product`,
      'product search': `${MAX_SEARCH_LENGTH} characters`,
      password: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
      'upload size': mib(DEFAULT_MAX_UPLOAD_BYTES),
      'storage per user': `${DEFAULT_UPLOAD_QUOTA_BYTES} bytes (${DEFAULT_UPLOAD_QUOTA_BYTES / 2 ** 30} GiB)`,
      'upload URL': `${DEFAULT_UPLOAD_TOKEN_TTL_SECONDS} s`,
      'WebSocket message': `${DEFAULT_SUBSCRIPTION_LIMITS.maxPayloadBytes} bytes`,
      'WebSocket ping': `every ${DEFAULT_SUBSCRIPTION_LIMITS.keepAliveMs} ms; no pong within as long closes the connection`,
      'subscriptions per connection': String(DEFAULT_SUBSCRIPTION_LIMITS.maxSubscriptionsPerConnection),
      'subscriptions per user, per gateway instance': String(DEFAULT_SUBSCRIPTION_LIMITS.maxSubscriptionsPerUser),
      '`connection_init` after opening a WebSocket': `${DEFAULT_SUBSCRIPTION_LIMITS.connectionInitTimeoutMs} ms`,
      'events a subscriber may fall behind': String(DEFAULT_MAX_PENDING_EVENTS),
    };
    // One figure for what the gateway and the subgraphs each enforce.
    expect(DEFAULT_MAX_PAGE_SIZE).toBe(MAX_PAGE_SIZE);
    expect(SUBGRAPH_MAX_BODY_BYTES).toBe(DEFAULT_MAX_BODY_BYTES);

    const rows = tableRows(sectionOf(readFileSync(DOC, 'utf8'), '## Limits and rate limits'));
    expect(Object.fromEntries(rows.map((cells) => [cells[0], cells[1]]))).toEqual(expected);

    const configSources = ['gateway/src/config.ts', 'subgraphs/media/src/config.ts']
      .map((file) => readFileSync(path.join(REPO_ROOT, file), 'utf8'))
      .join('\n');
    for (const cells of rows) {
      const configuredBy = cells[2]!;
      if (configuredBy === 'fixed') continue;
      const variables = [...configuredBy.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1]!);
      expect(variables.length, `a variable for ${cells[0]}`).toBeGreaterThan(0);
      for (const variable of variables) expect(configSources, `${variable} is read by a config.ts`).toContain(`${variable}:`);
    }
  });

  it('is linked from the README and the playground page', () => {
    expect(readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')).toContain('(docs/api.md)');
    expect(readFileSync(path.join(REPO_ROOT, 'docs/playground.md'), 'utf8')).toContain('(api.md)');
  });
});

/** Runs a ```js example as an ES module from the repository root, so that its imports resolve. */
function runModule(example: Example, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module'], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill(), 20_000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`docs/api.md:${example.line} exited with ${code ?? signal}:\n${stdout}\n${stderr}`));
    });
    child.stdin.end(example.code);
  });
}

/** The markdown from `heading` to the next heading of the same or a higher level. */
function sectionOf(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/api.md has no "${heading}"`);
  const level = heading.indexOf(' ');
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return end < 0 ? rest : rest.slice(0, end);
}

/** The cells of a section's first table, header and separator left out. */
function tableRows(section: string): string[][] {
  const lines = section.split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const table: string[] = [];
  for (let i = first; i >= 0 && i < lines.length && lines[i]!.startsWith('|'); i += 1) table.push(lines[i]!);
  return table.slice(2).map((line) =>
    line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim()),
  );
}
