/**
 * `workers.ts <N> <script> [args...]`: runs <script> in N node:cluster worker processes that share
 * its listening port (PORT), the same way for every gateway under test when the benchmark asks for
 * more than one worker. A `.ts` script runs through tsx, a bundle (`.mjs`) on plain Node.
 * SIGTERM stops every worker, then this process.
 */
import cluster from 'node:cluster';

const [count, script, ...args] = process.argv.slice(2);
const workers = Number(count);
if (!script || !Number.isInteger(workers) || workers < 1) throw new Error('usage: workers.ts <N> <script> [args...]');

cluster.setupPrimary({ exec: script, args, execArgv: [...process.execArgv.filter((arg) => arg.startsWith('--cpu-prof')), ...(script.endsWith('.ts') ? ['--import', 'tsx'] : [])] });
for (let i = 0; i < workers; i += 1) cluster.fork();
let stopping = false;
cluster.on('exit', (worker, code) => {
  if (!stopping) {
    console.error(`gateway worker ${worker.process.pid} exited (${code}); stopping`);
    process.exit(1);
  }
  if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
});
process.on('SIGTERM', () => {
  stopping = true;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
});
