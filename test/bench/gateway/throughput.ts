/**
 * `pnpm bench:gateway` (part of `pnpm bench`): HTTP throughput of our gateway against Hive Gateway
 * and a plain @apollo/gateway + @apollo/server on their defaults, in one run, on the same
 * subgraphs, with the same number of worker processes, under autocannon load on loopback.
 *
 * Scenarios:
 * - `domain`: a signed-in user's home screen query over our four subgraphs (accounts, comms,
 *   media, commerce), each its own process on in-memory PGlite with the demo data;
 * - `federation`: the shape of the well-known public federation gateway benchmark, four tiny
 *   subgraphs (accounts, inventory, products, reviews) in one process that answer from memory.
 *
 * Every process is its own: the load generator (this one), the subgraphs, the gateway under test.
 * Each gateway in turn: start, check its answer, warm up, then load for a fixed time; every
 * response is compared with the checked answer (byte for byte), so a fast but wrong gateway
 * counts errors. Writes the results (JSON) and SVG charts to docs/benchmarks/ and prints a
 * Markdown table for docs/benchmarks.md. Flags: see `--help`.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { composeSupergraph } from '@mega/gateway';
import { buildServices, bundlePath, freePort, REPO_ROOT } from '@mega/test-utils';
import { expectedData, QUERY as FEDERATION_QUERY } from '../federation-shape/data.js';
import type { FederationShapeWorld } from '../federation-shape/subgraphs.js';
import { GATEWAY_LABELS as LABELS, writeThroughputCharts } from './charts.js';
import type { DomainSubgraphReady } from './domain-subgraph.js';

const GATEWAY_NAMES = ['mega', 'hive', 'apollo'] as const;
const SCENARIO_NAMES = ['domain', 'federation'] as const;
type GatewayName = (typeof GATEWAY_NAMES)[number];
type ScenarioName = (typeof SCENARIO_NAMES)[number];

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
    workers: { type: 'string', default: '1' },
    scenarios: { type: 'string', default: SCENARIO_NAMES.join(',') },
    gateways: { type: 'string', default: GATEWAY_NAMES.join(',') },
    out: { type: 'string', default: path.join(REPO_ROOT, 'docs/benchmarks') },
    profile: { type: 'string' },
    ours: { type: 'string' },
    soak: { type: 'string' },
    'soak-fraction': { type: 'string', default: '0.7' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});
if (flags.help) {
  console.log(`pnpm bench:gateway [--duration s=20] [--warmup s=5] [--connections n=32] [--workers n=1]
  [--scenarios ${SCENARIO_NAMES.join(',')}] [--gateways ${GATEWAY_NAMES.join(',')}] [--out dir=docs/benchmarks] [--profile dir] [--ours bundle.mjs]
--profile writes V8 CPU profiles of each gateway process to <dir>/<scenario>-<gateway>/.
--ours runs that build of our gateway (e.g. one of an earlier commit) instead of building gateway/dist/main.mjs.
--soak <minutes> [--soak-fraction 0.7]: only our gateway on the domain scenario: its maximum req/s measured as above,
  then held at that fraction of it for the given minutes; errors, wrong answers and RSS growth (mean of the last
  minute over the first) written to <out>/gateway-soak.json (pnpm bench:soak runs 10 minutes).`);
  process.exit(0);
}
const DURATION = Number(flags.duration);
const WARMUP = Number(flags.warmup);
const CONNECTIONS = Number(flags.connections);
const WORKERS = Number(flags.workers);
const SCENARIOS = flags.scenarios.split(',') as ScenarioName[];
const GATEWAYS = flags.gateways.split(',') as GatewayName[];
for (const name of SCENARIOS) if (!SCENARIO_NAMES.includes(name)) throw new Error(`--scenarios: unknown ${name}`);
for (const name of GATEWAYS) if (!GATEWAY_NAMES.includes(name)) throw new Error(`--gateways: unknown ${name}`);

const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
const here = path.dirname(new URL(import.meta.url).pathname);

/** A signed-in user's home: profile, media, conversations with their last message's sender, cart, and the catalogue with images. */
const DOMAIN_QUERY = `query Home {
  me {
    id displayName avatarUrl
    media(first: 5) { edges { node { id title url } } }
    conversations(first: 5) { edges { node { id title unreadCount lastMessage { seq body sender { displayName avatarUrl } } } } }
    cart { itemCount total { formatted } }
  }
  products(first: 10) { edges { node { id title price { formatted } images { url } } } }
}`;

interface Scenario {
  name: ScenarioName;
  supergraphFile: string;
  subgraphUrls: Record<string, string>;
  jwksUrl: string;
  query: string;
  /** Headers of every request (a fresh token for each gateway). */
  headers: () => Promise<Record<string, string>>;
  /** Throws when `data` is not the right answer. */
  check: (data: unknown) => void;
  processes: ChildProcess[];
}

interface Result {
  scenario: ScenarioName;
  gateway: GatewayName;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number;
  /** 2xx answers whose body differed from the checked answer. */
  wrongAnswers: number;
  rssIdleMiB: number;
  rssPeakMiB: number;
  /** CPU time of the gateway's processes per answered request. */
  cpuMsPerRequest: number;
}

// --- processes -------------------------------------------------------------------------------

/** The process and its descendants (a gateway with workers). */
async function processTree(root: number): Promise<number[]> {
  const children = new Map<number, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent)!.push(Number(entry));
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i += 1) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

async function treeRssKiB(root: number): Promise<number> {
  let total = 0;
  for (const pid of await processTree(root)) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return total;
}

/** CPU time (user + system, ms) the process tree used so far. */
async function treeCpuMs(root: number): Promise<number> {
  let total = 0;
  for (const pid of await processTree(root)) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
  }
  return total;
}

function forkReady<T>(script: string, env: Record<string, string>): Promise<{ message: T; child: ChildProcess }> {
  const child = fork(script, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ message: message as T, child }));
    child.once('exit', (code) => reject(new Error(`${path.basename(script)} exited (${code}) before it was ready`)));
  });
}

async function postJson(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, text: await response.text() };
}

// --- scenarios -------------------------------------------------------------------------------

async function domainScenario(): Promise<Scenario> {
  const started = await Promise.all(
    ['accounts', 'comms', 'media', 'commerce'].map((name) => forkReady<DomainSubgraphReady>(path.join(here, 'domain-subgraph.ts'), { BENCH_SUBGRAPH: name, GATEWAY_SECRET: SECRET })),
  );
  const subgraphUrls = Object.fromEntries(started.map(({ message }) => [message.name, message.url]));
  const accounts = started.find(({ message }) => message.name === 'accounts')!.child;
  const token = () =>
    new Promise<string>((resolve) => {
      accounts.once('message', (message) => resolve((message as { token: string }).token));
      accounts.send('token');
    });
  return {
    name: 'domain',
    supergraphFile: path.join(REPO_ROOT, 'gateway/supergraph.graphql'),
    subgraphUrls,
    jwksUrl: new URL('/.well-known/jwks.json', subgraphUrls.accounts).toString(),
    query: DOMAIN_QUERY,
    headers: async () => ({ authorization: `Bearer ${await token()}` }),
    check: (data) => {
      const me = (data as { me?: { displayName?: string; media?: { edges: unknown[] }; conversations?: { edges: unknown[] }; cart?: unknown } }).me;
      const products = (data as { products?: { edges: unknown[] } }).products;
      if (!me?.displayName || !me.media?.edges.length || !me.conversations?.edges.length || !me.cart || !products?.edges.length) {
        throw new Error(`not the signed-in user's home: ${JSON.stringify(data).slice(0, 300)}`);
      }
    },
    processes: started.map(({ child }) => child),
  };
}

async function federationScenario(): Promise<Scenario> {
  const { message: world, child } = await forkReady<FederationShapeWorld>(path.join(here, '../federation-shape/subgraphs.ts'), {});
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mega-bench-federation-'));
  const supergraphFile = path.join(dir, 'supergraph.graphql');
  await writeFile(supergraphFile, composeSupergraph(world.subgraphs));
  const expected = expectedData();
  return {
    name: 'federation',
    supergraphFile,
    subgraphUrls: Object.fromEntries(world.subgraphs.map(({ name, url }) => [name, url])),
    // Nobody signs in here; the gateways need a key set URL all the same.
    jwksUrl: 'http://127.0.0.1:9/.well-known/jwks.json',
    query: FEDERATION_QUERY,
    headers: async () => ({}),
    check: (data) => {
      if (!isDeepStrictEqual(data, expected)) throw new Error(`not the expected answer: ${JSON.stringify(data).slice(0, 300)}`);
    },
    processes: [child],
  };
}

// --- gateways --------------------------------------------------------------------------------

async function startGateway(name: GatewayName, scenario: Scenario): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: String(port),
    GATEWAY_SECRET: SECRET,
    SUBGRAPH_URLS: Object.entries(scenario.subgraphUrls).map(([service, url]) => `${service}=${url}`).join(','),
    SUPERGRAPH_FILE: scenario.supergraphFile,
    JWKS_URL: scenario.jwksUrl,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    APOLLO_TELEMETRY_DISABLED: '1',
  };
  if (name === 'mega') {
    Object.assign(env, {
      SUPERGRAPH: scenario.supergraphFile,
      // Production hardening on (auth, signed upstream requests, operation limits, CSRF, secure headers),
      // rate limits counted on every request but set high enough never to refuse (all load comes from one
      // address and one user); raw queries accepted, as the peers get them.
      REQUIRE_PERSISTED_DOCUMENTS: 'false',
      RATE_LIMIT_PER_IP: '1000000000',
      RATE_LIMIT_PER_ANONYMOUS_IP: '1000000000',
      RATE_LIMIT_PER_USER: '1000000000',
    });
  }
  const script = { mega: flags.ours ?? bundlePath('gateway'), hive: path.join(here, '../subscriptions/hive-gateway.ts'), apollo: path.join(here, 'apollo-gateway.ts') }[name];
  const profile = flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(flags.profile, `${scenario.name}-${name}`)}`] : [];
  const args =
    WORKERS > 1
      ? [...profile, '--import', 'tsx', path.join(here, 'workers.ts'), String(WORKERS), script]
      : [...profile, ...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), script];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}/graphql`;
  const probe = JSON.stringify({ query: '{ __typename }' });
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    if (child.exitCode !== null) throw new Error(`${name}: the gateway exited during start`);
    if (await postJson(url, probe, {}).then((r) => r.status === 200, () => false)) return { url, child };
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

async function stopGateway(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** An answer with media's signed file links made constant: their expiry moves on every 5 minutes, so a long run sees several. */
const withoutLinkSignatures = (text: string) => text.replace(/\?exp=\d+&sig=[\w-]+/g, '?exp=…&sig=…');

/**
 * autocannon's load for `seconds`: as fast as the connections go, or at `overallRate` requests per
 * second; with `expected`, every answer is compared with it (signed links aside) and a different one
 * counts as a mismatch.
 */
async function load(url: string, body: string, headers: Record<string, string>, seconds: number, options: { expected?: string; overallRate?: number } = {}) {
  const expected = options.expected === undefined ? undefined : withoutLinkSignatures(options.expected);
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        connections: CONNECTIONS,
        duration: seconds,
        headers: { 'content-type': 'application/json', ...headers },
        body,
        ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
        ...(expected === undefined ? {} : { verifyBody: (text) => withoutLinkSignatures(String(text)) === expected }),
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  latencies.sort((a, b) => a - b);
  return { result, latencies };
}

async function measure(name: GatewayName, scenario: Scenario): Promise<Result> {
  const gateway = await startGateway(name, scenario);
  const pid = gateway.child.pid!;
  try {
    const headers = await scenario.headers();
    const body = JSON.stringify({ query: scenario.query });
    const sample = await postJson(gateway.url, body, headers);
    const parsed = JSON.parse(sample.text) as { data?: unknown; errors?: unknown[] };
    if (sample.status !== 200 || parsed.errors) throw new Error(`${name} (${scenario.name}): ${sample.status} ${sample.text.slice(0, 500)}`);
    scenario.check(parsed.data);
    answers.set(`${scenario.name}/${name}`, parsed.data);
    const rssIdle = await treeRssKiB(pid);
    await load(gateway.url, body, headers, WARMUP);
    let rssPeak = 0;
    const sampling = setInterval(() => void treeRssKiB(pid).then((rss) => (rssPeak = Math.max(rssPeak, rss))), 500);
    const cpuBefore = await treeCpuMs(pid);
    const started = performance.now();
    const { result, latencies } = await load(gateway.url, body, headers, DURATION, { expected: sample.text });
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = await treeCpuMs(pid);
    clearInterval(sampling);
    rssPeak = Math.max(rssPeak, await treeRssKiB(pid));
    const answered = result['2xx'];
    return {
      scenario: scenario.name,
      gateway: name,
      requests: answered,
      rps: Math.round(answered / seconds),
      p50: round(percentile(latencies, 50), 2),
      p95: round(percentile(latencies, 95), 2),
      p99: round(percentile(latencies, 99), 2),
      errors: result.errors + result.timeouts + result.non2xx,
      wrongAnswers: result.mismatches,
      rssIdleMiB: round(rssIdle / 1024),
      rssPeakMiB: round(rssPeak / 1024),
      cpuMsPerRequest: round((cpuAfter - cpuBefore) / Math.max(1, answered), 3),
    };
  } finally {
    await stopGateway(gateway.child);
  }
}

// --- run -------------------------------------------------------------------------------------

const answers = new Map<string, unknown>();
const versionOf = async (pkg: string) => {
  for (const base of [path.join(here, '../node_modules'), path.join(REPO_ROOT, 'node_modules'), path.join(REPO_ROOT, 'gateway/node_modules')]) {
    const text = await readFile(path.join(base, pkg, 'package.json'), 'utf8').catch(() => undefined);
    if (text) return (JSON.parse(text) as { version: string }).version;
  }
  return 'unknown';
};

/**
 * The soak: our gateway held at `fraction` of the maximum just measured, for `minutes`, its process
 * tree's RSS sampled every 5 s. Passes with no error, no wrong answer and RSS growth under 10 %.
 */
async function soak(minutes: number, fraction: number): Promise<void> {
  const loadAverageBefore = os.loadavg().map((value) => round(value, 2));
  const scenario = await domainScenario();
  try {
    const max = await measure('mega', scenario);
    console.log(JSON.stringify(max));
    const rate = Math.max(1, Math.floor(max.rps * fraction));
    const gateway = await startGateway('mega', scenario);
    const pid = gateway.child.pid!;
    try {
      const headers = await scenario.headers();
      const body = JSON.stringify({ query: scenario.query });
      const sample = await postJson(gateway.url, body, headers);
      if (sample.status !== 200) throw new Error(`soak: ${sample.status} ${sample.text.slice(0, 500)}`);
      await load(gateway.url, body, headers, WARMUP);
      const samples: { seconds: number; rssKiB: number }[] = [];
      const started = performance.now();
      const sampling = setInterval(() => void treeRssKiB(pid).then((rssKiB) => samples.push({ seconds: round((performance.now() - started) / 1000), rssKiB })), 5_000);
      const { result, latencies } = await load(gateway.url, body, headers, minutes * 60, { expected: sample.text, overallRate: rate });
      clearInterval(sampling);
      const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
      const firstMinute = mean(samples.filter((each) => each.seconds <= 60).map((each) => each.rssKiB));
      const lastMinute = mean(samples.filter((each) => each.seconds > minutes * 60 - 60).map((each) => each.rssKiB));
      const report = {
        date: new Date().toISOString(),
        command: `pnpm bench:gateway ${process.argv.slice(2).join(' ')}`.trim(),
        machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', loadAverageBefore },
        node: process.version,
        settings: { minutes, fraction, connections: CONNECTIONS, workers: WORKERS, maximumRps: max.rps, targetRps: rate },
        requests: result['2xx'],
        achievedRps: Math.round(result['2xx'] / (minutes * 60)),
        p50: round(percentile(latencies, 50), 2),
        p99: round(percentile(latencies, 99), 2),
        errors: result.errors + result.timeouts + result.non2xx,
        wrongAnswers: result.mismatches,
        rssFirstMinuteMiB: round(firstMinute / 1024),
        rssLastMinuteMiB: round(lastMinute / 1024),
        rssGrowthPercent: round((lastMinute / firstMinute - 1) * 100, 2),
        rssSamples: samples,
      };
      await mkdir(flags.out, { recursive: true });
      await writeFile(path.join(flags.out, 'gateway-soak.json'), `${JSON.stringify(report, null, 2)}\n`);
      const { rssSamples: _samples, ...summary } = report;
      console.log(JSON.stringify(summary, null, 2));
      const passed = report.errors === 0 && report.wrongAnswers === 0 && report.rssGrowthPercent < 10;
      console.log(passed ? 'soak passed: no error, no wrong answer, RSS growth under 10 %' : 'soak FAILED');
      if (!passed) process.exitCode = 1;
    } finally {
      await stopGateway(gateway.child);
    }
  } finally {
    for (const child of scenario.processes) if (child.connected) child.disconnect();
  }
}

if (flags.soak !== undefined) {
  if (!flags.ours) await buildServices(['gateway']);
  await soak(Number(flags.soak), Number(flags['soak-fraction']));
  process.exit();
}

const loadBefore = os.loadavg();
if (!flags.ours) await buildServices(['gateway']);
const results: Result[] = [];
for (const scenarioName of SCENARIOS) {
  const scenario = scenarioName === 'domain' ? await domainScenario() : await federationScenario();
  try {
    for (const name of GATEWAYS) {
      const result = await measure(name, scenario);
      results.push(result);
      console.log(JSON.stringify(result));
    }
    // The gateways must agree with each other too (the domain answer has no reference of its own).
    const first = answers.get(`${scenario.name}/${GATEWAYS[0]}`);
    for (const name of GATEWAYS.slice(1)) {
      if (!isDeepStrictEqual(answers.get(`${scenario.name}/${name}`), first)) throw new Error(`${scenario.name}: ${name} answered differently from ${GATEWAYS[0]}`);
    }
  } finally {
    for (const child of scenario.processes) if (child.connected) child.disconnect();
  }
}

const run = {
  date: new Date().toISOString(),
  command: `pnpm bench:gateway ${process.argv.slice(2).join(' ')}`.trim(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    loadAverageBefore: loadBefore.map((value) => round(value, 2)),
  },
  versions: {
    node: process.version,
    '@apollo/gateway': await versionOf('@apollo/gateway'),
    '@apollo/server': await versionOf('@apollo/server'),
    '@graphql-hive/gateway': await versionOf('@graphql-hive/gateway'),
    autocannon: await versionOf('autocannon'),
  },
  settings: { durationSeconds: DURATION, warmupSeconds: WARMUP, connections: CONNECTIONS, workers: WORKERS },
  results,
};

await mkdir(flags.out, { recursive: true });
await writeFile(path.join(flags.out, 'gateway-throughput.json'), `${JSON.stringify(run, null, 2)}\n`);
await writeThroughputCharts(run, flags.out);

console.log(`\n${run.machine.cpus} × ${run.machine.cpuModel}, ${run.machine.memoryGiB} GiB, Node ${process.version}; load average before ${run.machine.loadAverageBefore.join(' ')}`);
console.log(`${DURATION} s of load after ${WARMUP} s of warm-up, ${CONNECTIONS} connections, ${WORKERS} worker(s) per gateway\n`);
console.log('| scenario | gateway | req/s | p50 ms | p95 ms | p99 ms | errors | wrong answers | RSS idle MiB | RSS peak MiB | CPU ms/req |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(`| ${r.scenario} | ${LABELS[r.gateway]} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} | ${r.wrongAnswers} | ${r.rssIdleMiB} | ${r.rssPeakMiB} | ${r.cpuMsPerRequest} |`);
}
console.log('\n| scenario | ours vs | req/s ratio | p50 ratio | p95 ratio | p99 ratio | peak RSS ratio |');
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const scenario of SCENARIOS) {
  const ours = results.find((r) => r.scenario === scenario && r.gateway === 'mega');
  if (!ours) continue;
  for (const peer of results.filter((r) => r.scenario === scenario && r.gateway !== 'mega')) {
    // Latency and memory ratios are the peer's over ours: above 1 means ours is better, as for req/s.
    console.log(
      `| ${scenario} | ${LABELS[peer.gateway]} | ${round(ours.rps / peer.rps, 2)}× | ${round(peer.p50 / ours.p50, 2)}× | ${round(peer.p95 / ours.p95, 2)}× | ${round(peer.p99 / ours.p99, 2)}× | ${round(peer.rssPeakMiB / ours.rssPeakMiB, 2)}× |`,
    );
  }
}
