/**
 * `pnpm bench:subscriptions` (part of `pnpm bench`): fan-out of one conversation's messages to
 * BENCH_SUBSCRIBERS (5,000) concurrent subscribers, each a different member with its own
 * WebSocket and subscription, through one gateway instance; our gateway and Hive Gateway in turn,
 * on the same subgraphs, in one run. See docs/benchmarks.md for what is measured and the results.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildServices, bundlePath, freePort, REPO_ROOT } from '@mega/test-utils';
import type { BenchWorld } from './subgraphs.js';
import { bodyOf, connectSwarm } from './subscribers.js';

const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 5000);
/**
 * Subscribers of the federated selection: each event then costs one accounts request per
 * subscriber (each is that user's request), which bounds the rate long before the gateway does.
 */
const FEDERATED_SUBSCRIBERS = Math.min(SUBSCRIBERS, Number(process.env.BENCH_FEDERATED_SUBSCRIBERS ?? 500));
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10);
/** Long enough for one message to reach every subscriber before the next is sent: latency, not queueing. */
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 2000);
const DELIVERY_TIMEOUT_MS = 60_000;
const ALL_SELECTIONS = {
  comms: 'id seq body sentAt',
  federated: 'id seq body sentAt sender { displayName }',
} as const;
/** BENCH_SELECTIONS=comms,federated (default both). */
const SELECTIONS = Object.fromEntries(
  Object.entries(ALL_SELECTIONS).filter(([key]) => (process.env.BENCH_SELECTIONS ?? 'comms,federated').split(',').includes(key)),
) as Partial<typeof ALL_SELECTIONS>;
/** BENCH_GATEWAYS=mega,hive (default both). */
const GATEWAYS = (process.env.BENCH_GATEWAYS ?? 'mega,hive').split(',') as GatewayName[];
const here = path.dirname(new URL(import.meta.url).pathname);

type GatewayName = 'mega' | 'hive';

interface Result {
  gateway: GatewayName;
  selection: keyof typeof ALL_SELECTIONS;
  subscribers: number;
  baseRssMiB: number;
  kibPerIdleConnection: number;
  pacedP50: number;
  pacedP99: number;
  pacedMax: number;
  burstEventsPerSecond: number;
  burstP99: number;
  /** CPU time per delivered event in the paced phase (µs): the gateway's, and the subgraphs' process's. */
  gatewayCpuPerEventUs: number;
  subgraphsCpuPerEventUs: number;
  failures: number;
}

/** BENCH_PROFILE=<dir>: each process writes V8 CPU profiles (one per thread) to <dir>/<process>/, for Chrome DevTools. */
const profile = (name: string) => (process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.join(process.env.BENCH_PROFILE, name)}`] : []);

const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));

async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

/** CPU time (user + system) a process used so far, in ms (clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** RSS once it stops moving (two readings 500 ms apart within 1 %), at most 10 s of waiting. */
async function settledRssKiB(pid: number): Promise<number> {
  let last = await rssKiB(pid);
  for (let i = 0; i < 20; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await rssKiB(pid);
    if (Math.abs(now - last) / last < 0.01) return now;
    last = now;
  }
  return last;
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited during start`);
    if (await fetch(url).then((r) => r.status < 500, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

async function startGateway(name: GatewayName, world: BenchWorld): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const subgraphUrls = Object.entries(world.urls).map(([service, url]) => `${service}=${url}`).join(',');
  const env = {
    ...process.env,
    PORT: String(port),
    GATEWAY_SECRET: SECRET,
    SUBGRAPH_URLS: subgraphUrls,
    JWKS_URL: world.urls.accounts.replace(/\/graphql$/, '/.well-known/jwks.json'),
    LOG_LEVEL: 'warn',
  };
  const child =
    name === 'mega'
      ? spawn(process.execPath, [...profile('gateway'), bundlePath('gateway')], {
          // Production mode with its hardening on; only the per-IP/per-user request rate limits and the
          // persisted-document safelist are off, since every subscriber comes from 127.0.0.1 with its own query.
          env: { ...env, NODE_ENV: 'production', REQUIRE_PERSISTED_DOCUMENTS: 'false', RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_ANONYMOUS_IP: '0', RATE_LIMIT_PER_USER: '0', APOLLO_TELEMETRY_DISABLED: '1' },
          stdio: ['ignore', 'inherit', 'inherit'],
        })
      : spawn(process.execPath, [...profile('hive'), '--import', 'tsx', path.join(here, 'hive-gateway.ts')], {
          env: { ...env, NODE_ENV: 'production', SUPERGRAPH_FILE: path.join(REPO_ROOT, 'gateway/supergraph.graphql') },
          stdio: ['ignore', 'inherit', 'inherit'],
        });
  const origin = `http://127.0.0.1:${port}`;
  await waitReady(name === 'mega' ? `${origin}/readyz` : `${origin}/readiness`, child);
  return { url: `${origin}/graphql`, child };
}

/** The seq of the last message sent: subscriptions start after it, so none misses one sent while it was being set up. */
let lastSeq = 0;

async function send(url: string, token: string, conversationId: string, n: number): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { seq } }', variables: { input: { conversationId, body: bodyOf(n) } } }),
  });
  const result = (await response.json()) as { data?: { sendMessage: { seq: number } }; errors?: unknown[] };
  if (!response.ok || !result.data) throw new Error(`sendMessage failed: ${response.status} ${JSON.stringify(result.errors)}`);
  lastSeq = Math.max(lastSeq, result.data.sendMessage.seq);
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function measure(name: GatewayName, selection: keyof typeof ALL_SELECTIONS, world: BenchWorld, subgraphsPid: number): Promise<Result> {
  const gateway = await startGateway(name, world);
  const pid = gateway.child.pid!;
  const subscribers = selection === 'federated' ? FEDERATED_SUBSCRIBERS : SUBSCRIBERS;
  const wsUrl = gateway.url.replace(/^http/, 'ws');
  const query = `subscription($id: ID!, $after: Int) { messageAdded(conversationId: $id, afterSeq: $after) { ${SELECTIONS[selection]} } }`;
  const variables = () => ({ id: world.conversationId, after: lastSeq });
  let n = 0;
  try {
    // Warm-up: one subscriber, a few messages (plans, caches, upstream connections, JIT).
    const warm = await connectSwarm(wsUrl, world.tokens.slice(0, 1), query, variables());
    for (let i = 0; i < 5; i += 1) {
      warm.sent(++n, performance.now());
      await send(gateway.url, world.senderToken, world.conversationId, n);
      await warm.delivered(n, DELIVERY_TIMEOUT_MS);
      if (process.env.BENCH_DEBUG) console.log(name, 'warm-up latency', warm.deliveries.get(n));
    }
    await warm.close();
    const base = await settledRssKiB(pid);

    const swarm = await connectSwarm(wsUrl, world.tokens.slice(0, subscribers), query, variables());
    // Idle: connected and subscribed, before any event (whose work would grow the heap).
    const idle = await settledRssKiB(pid);
    // Every subscription is live end to end once a probe message reached them all.
    swarm.sent(++n, performance.now());
    await send(gateway.url, world.senderToken, world.conversationId, n);
    await swarm.delivered(n, DELIVERY_TIMEOUT_MS);

    // Paced: one message every INTERVAL_MS; latency from the mutation's start to each delivery.
    const paced: number[] = [];
    const cpuBefore = await Promise.all([cpuMs(pid), cpuMs(subgraphsPid)]);
    const start = performance.now();
    const pacedNumbers: number[] = [];
    for (let i = 0; i < MESSAGES; i += 1) {
      await sleepUntil(start + i * INTERVAL_MS);
      const k = ++n;
      pacedNumbers.push(k);
      swarm.sent(k, performance.now());
      await send(gateway.url, world.senderToken, world.conversationId, k);
    }
    for (const k of pacedNumbers) {
      await swarm.delivered(k, DELIVERY_TIMEOUT_MS);
      paced.push(...swarm.deliveries.get(k)!);
    }
    const cpuAfter = await Promise.all([cpuMs(pid), cpuMs(subgraphsPid)]);
    const perEventUs = (i: number) => Math.round(((cpuAfter[i]! - cpuBefore[i]!) * 1000) / paced.length);
    paced.sort((a, b) => a - b);

    // Burst: MESSAGES messages back to back; deliveries per second until the last one arrived.
    const burstStart = performance.now();
    const burstNumbers: number[] = [];
    for (let i = 0; i < MESSAGES; i += 1) {
      const k = ++n;
      burstNumbers.push(k);
      swarm.sent(k, performance.now());
      await send(gateway.url, world.senderToken, world.conversationId, k);
    }
    const burst: number[] = [];
    for (const k of burstNumbers) {
      await swarm.delivered(k, DELIVERY_TIMEOUT_MS);
      burst.push(...swarm.deliveries.get(k)!);
    }
    const burstEnd = performance.now();
    burst.sort((a, b) => a - b);
    const failures = swarm.failures.length;
    await swarm.close();
    return {
      gateway: name,
      selection,
      baseRssMiB: round(base / 1024),
      subscribers,
      kibPerIdleConnection: round((idle - base) / subscribers),
      pacedP50: round(percentile(paced, 50)),
      pacedP99: round(percentile(paced, 99)),
      pacedMax: round(paced.at(-1)!),
      burstEventsPerSecond: Math.round(burst.length / ((burstEnd - burstStart) / 1000)),
      burstP99: round(percentile(burst, 99)),
      gatewayCpuPerEventUs: perEventUs(0),
      subgraphsCpuPerEventUs: perEventUs(1),
      failures,
    };
  } finally {
    gateway.child.kill('SIGTERM');
    await new Promise((resolve) => gateway.child.once('exit', resolve));
  }
}

function startSubgraphs(): Promise<{ world: BenchWorld; child: ChildProcess }> {
  const child = fork(path.join(here, 'subgraphs.ts'), [], {
    execArgv: [...profile('subgraphs'), '--import', 'tsx'],
    env: { ...process.env, GATEWAY_SECRET: SECRET, BENCH_SUBSCRIBERS: String(SUBSCRIBERS), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (world) => resolve({ world: world as BenchWorld, child }));
    child.once('exit', (code) => reject(new Error(`the subgraphs exited (${code}) before they were ready`)));
  });
}

await buildServices(['gateway']);
const { world, child: subgraphs } = await startSubgraphs();
const results: Result[] = [];
try {
  for (const selection of Object.keys(SELECTIONS) as (keyof typeof ALL_SELECTIONS)[]) {
    for (const name of GATEWAYS) {
      const result = await measure(name, selection, world, subgraphs.pid!);
      results.push(result);
      console.log(JSON.stringify(result));
    }
  }
} finally {
  subgraphs.disconnect();
}

const version = JSON.parse(await readFile(path.join(REPO_ROOT, 'node_modules/@graphql-hive/gateway/package.json'), 'utf8').catch(() => readFile(path.join(here, '../node_modules/@graphql-hive/gateway/package.json'), 'utf8'))) as { version: string };
console.log(`\nUp to ${SUBSCRIBERS} subscribers, ${MESSAGES} paced messages every ${INTERVAL_MS} ms then ${MESSAGES} back to back; ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}, Hive Gateway ${version.version}\n`);
console.log('| selection | subscribers | gateway | paced p50 ms | paced p99 ms | burst events/s | burst p99 ms | KiB per idle connection | base RSS MiB | gateway CPU µs/event | subgraphs CPU µs/event | failures |');
console.log('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(
    `| ${r.selection} | ${r.subscribers} | ${r.gateway} | ${r.pacedP50} | ${r.pacedP99} | ${r.burstEventsPerSecond} | ${r.burstP99} | ${r.kibPerIdleConnection} | ${r.baseRssMiB} | ${r.gatewayCpuPerEventUs} | ${r.subgraphsCpuPerEventUs} | ${r.failures} |`,
  );
}
for (const selection of Object.keys(SELECTIONS) as (keyof typeof ALL_SELECTIONS)[]) {
  const mega = results.find((r) => r.gateway === 'mega' && r.selection === selection);
  const hive = results.find((r) => r.gateway === 'hive' && r.selection === selection);
  if (!mega || !hive) continue;
  console.log(
    `${selection} (${mega.subscribers} subscribers): Hive/ours paced p99 ${round(hive.pacedP99 / mega.pacedP99, 2)}×, ours/Hive burst events/s ${round(mega.burstEventsPerSecond / hive.burstEventsPerSecond, 2)}×, Hive/ours memory per idle connection ${hive.kibPerIdleConnection > 0 && mega.kibPerIdleConnection > 0 ? `${round(hive.kibPerIdleConnection / mega.kibPerIdleConnection, 2)}×` : 'not comparable (an RSS fell while clients connected)'}`,
  );
}
const fanOut = results.find((r) => r.gateway === 'mega' && r.selection === 'comms');
if (fanOut) {
  const hive = results.find((r) => r.gateway === 'hive' && r.selection === 'comms');
  console.log(
    `targets (comms, ${fanOut.subscribers} subscribers): p99 ≤ 500 ms ${fanOut.pacedP99 <= 500 ? 'met' : 'NOT met'} (${fanOut.pacedP99} ms); ` +
      `≤ 30 KiB per idle connection ${fanOut.kibPerIdleConnection <= 30 ? 'met' : 'NOT met'} (${fanOut.kibPerIdleConnection} KiB)` +
      (hive ? `; better than Hive Gateway on both: ${fanOut.pacedP99 < hive.pacedP99 && fanOut.kibPerIdleConnection < hive.kibPerIdleConnection ? 'yes' : 'NO'}` : ''),
  );
}
