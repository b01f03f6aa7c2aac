/**
 * `pnpm bench:start`: cold and warm start time of the whole embedded stack as `pnpm start` runs it
 * (the web included: built when stale, then served; WEB=0 leaves it out), and the resident
 * memory of each process once it is idle. Cold = empty data directory (initdb, migrations,
 * seed); warm = the same directory again. Prints a Markdown table for the README. With
 * DATABASE_URL set, the subgraphs use that PostgreSQL server instead of PGlite.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SERVICES } from './services.js';
import { startStack, type Stack } from './stack.js';

/** Resident set size of a process and all its descendants, in MiB. */
async function treeRssMiB(pid: number): Promise<number> {
  let total = 0;
  const rss = async (p: number) => {
    const status = await readFile(`/proc/${p}/status`, 'utf8').catch(() => '');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : 0;
  };
  const children = async (p: number): Promise<number[]> => {
    const tasks = await readdir(`/proc/${p}/task`).catch(() => [] as string[]);
    const ids: number[] = [];
    for (const task of tasks) {
      const list = await readFile(`/proc/${p}/task/${task}/children`, 'utf8').catch(() => '');
      ids.push(...list.split(/\s+/).filter(Boolean).map(Number));
    }
    return ids;
  };
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    total += await rss(p);
    queue.push(...(await children(p)));
  }
  return total;
}

async function timedStart(dataDir: string): Promise<{ stack: Stack; seconds: number }> {
  const started = performance.now();
  const stack = await startStack({
    dataDir,
    gatewaySecret: 'bench-secret-0123456789abcdef0123456789abcdef',
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
    ...(['0', 'false'].includes(process.env.WEB ?? '') ? {} : { web: { shellPort: 0, miniAppsPort: 0 } }),
  });
  return { stack, seconds: (performance.now() - started) / 1000 };
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'mega-start-'));
try {
  const cold = await timedStart(dataDir);
  await cold.stack.stop();
  const warm = await timedStart(dataDir);
  // Let start-up garbage settle before reading memory.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const pids = warm.stack.pids();
  const rows: string[] = [];
  let total = 0;
  for (const service of SERVICES) {
    const mib = await treeRssMiB(pids[service]!);
    total += mib;
    rows.push(`| ${service} | ${mib.toFixed(0)} MiB |`);
  }
  await warm.stack.stop();
  console.log(`| measure | value |\n|---|---|\n| cold start | ${cold.seconds.toFixed(1)} s |\n| warm start | ${warm.seconds.toFixed(1)} s |`);
  console.log(`\n| process (idle, after warm start) | RSS |\n|---|---|\n${rows.join('\n')}\n| **all together** | **${total.toFixed(0)} MiB** |`);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
