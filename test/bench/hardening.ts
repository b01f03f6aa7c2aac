/**
 * `pnpm bench:hardening`: what all hardening layers together cost in throughput, as a ratio to
 * the same gateway with them off, measured in one run on the same subgraphs.
 *
 * Hardened: production mode with operation limits (graphql-armor), rate limits per IP and per user
 * (counted, set high enough never to refuse), and safelisted persisted documents. Plain: the same
 * gateway with those layers off (REQUIRE_PERSISTED_DOCUMENTS=false, RATE_LIMIT_*=0, GRAPHQL_MAX_*=0);
 * authentication, CSRF prevention, CORS and secure headers stay on in both. The two are loaded in
 * turns (hardened, plain, hardened, plain, ...) so that drift of the machine hits both alike.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { bundlePath, DEMO_USERS, freePort, postGraphQL, startStack } from '@mega/test-utils';

const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
const QUERY = 'query Home { me { displayName } products(first: 10) { edges { node { title price { formatted } images { url } } } } }';
const DOCUMENT_ID = createHash('sha256').update(QUERY).digest('hex');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

async function startGateway(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [bundlePath('gateway')], {
    env: { ...process.env, PORT: String(port), GATEWAY_SECRET: SECRET, LOG_LEVEL: 'warn', APOLLO_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    if (child.exitCode !== null) throw new Error('gateway exited during start');
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  return { url: `${url}/graphql`, child };
}

async function load(url: string, body: string, token: string): Promise<{ rps: number; p99: number; errors: number }> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'mega-bench-'));
const documents = path.join(dataDir, 'documents');
await import('node:fs/promises').then((fs) => fs.mkdir(documents));
await writeFile(path.join(documents, 'persisted-documents.json'), JSON.stringify({ [DOCUMENT_ID]: QUERY }));

const stack = await startStack({ dataDir, gatewaySecret: SECRET, nodeEnv: 'production', env: { REQUIRE_PERSISTED_DOCUMENTS: 'false', LOG_LEVEL: 'warn' } });
const subgraphUrls = `accounts=${stack.urls.accounts},comms=${stack.urls.comms},media=${stack.urls.media},commerce=${stack.urls.commerce}`;
const common = { NODE_ENV: 'production', SUBGRAPH_URLS: subgraphUrls };
const hardened = await startGateway({ ...common, PERSISTED_DOCUMENTS_DIR: documents, RATE_LIMIT_PER_IP: '1000000000', RATE_LIMIT_PER_ANONYMOUS_IP: '1000000000', RATE_LIMIT_PER_USER: '1000000000' });
const plain = await startGateway({
  ...common,
  REQUIRE_PERSISTED_DOCUMENTS: 'false',
  ...Object.fromEntries(['RATE_LIMIT_PER_IP', 'RATE_LIMIT_PER_ANONYMOUS_IP', 'RATE_LIMIT_PER_USER', 'GRAPHQL_MAX_DEPTH', 'GRAPHQL_MAX_ALIASES', 'GRAPHQL_MAX_DIRECTIVES', 'GRAPHQL_MAX_TOKENS', 'GRAPHQL_MAX_COST'].map((name) => [name, '0'])),
});

try {
  const login = await postGraphQL<{ logIn: { accessToken: string } }>(stack.urls.gateway, {
    query: 'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { accessToken } }',
    variables: { e: DEMO_USERS.alice.email, p: DEMO_USERS.alice.password },
  });
  const token = login.data!.logIn.accessToken;
  const hardenedBody = JSON.stringify({ documentId: `sha256:${DOCUMENT_ID}` });
  const plainBody = JSON.stringify({ query: QUERY });
  for (const [url, body] of [[hardened.url, hardenedBody], [plain.url, plainBody]] as const) {
    const check = await postGraphQL(url, JSON.parse(body) as { query: string }, { authorization: `Bearer ${token}` });
    if (check.errors) throw new Error(`warm-up failed at ${url}: ${JSON.stringify(check.errors)}`);
    await load(url, body, token); // warm-up round, not counted
  }
  const results = { hardened: [] as Awaited<ReturnType<typeof load>>[], plain: [] as Awaited<ReturnType<typeof load>>[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    results.hardened.push(await load(hardened.url, hardenedBody, token));
    results.plain.push(await load(plain.url, plainBody, token));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const h = { rps: mean(results.hardened.map((r) => r.rps)), p99: mean(results.hardened.map((r) => r.p99)), errors: results.hardened.reduce((a, r) => a + r.errors, 0) };
  const p = { rps: mean(results.plain.map((r) => r.rps)), p99: mean(results.plain.map((r) => r.p99)), errors: results.plain.reduce((a, r) => a + r.errors, 0) };
  console.log(`\n${ROUNDS} rounds of ${DURATION_SECONDS} s each, ${CONNECTIONS} connections, query spanning commerce, media and accounts, signed in\n`);
  console.log('| gateway | requests/s (mean) | p99 latency (ms) | errors |\n|---|---|---|---|');
  console.log(`| hardened | ${h.rps.toFixed(0)} | ${h.p99.toFixed(0)} | ${h.errors} |`);
  console.log(`| plain | ${p.rps.toFixed(0)} | ${p.p99.toFixed(0)} | ${p.errors} |`);
  console.log(`\nhardened / plain throughput: ${(h.rps / p.rps).toFixed(3)} (cost ${((1 - h.rps / p.rps) * 100).toFixed(1)} %)`);
} finally {
  hardened.child.kill('SIGTERM');
  plain.child.kill('SIGTERM');
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
