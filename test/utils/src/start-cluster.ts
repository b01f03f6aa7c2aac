/**
 * `pnpm start:cluster`: the system as several instances on this machine, the way it scales out:
 * two gateways and two instances of each subgraph on PostgreSQL (one database per subgraph,
 * `mega_cluster_<subgraph>`, created when missing) and Redis, behind a small load balancer on
 * port 4000 (HTTP and WebSocket, round-robin over the gateways whose /readyz answers), and one
 * over the media instances on port 4005 (file links and upload URLs). The
 * processes' own ports are 4010-4014 (instance 1: gateway, accounts, comms, media, commerce) and
 * 4020-4024 (instance 2). POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres) must
 * allow creating databases; REDIS_URL defaults to redis://127.0.0.1:6379; INSTANCES to 2.
 * The web shell (SHELL_PORT, 5173) and the mini-apps (from MINI_APPS_PORT, 5174) are built when
 * stale and served as by `pnpm start`, talking to the load balancer; WEB=0 leaves them out.
 * Ctrl-C stops every process.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startCluster } from './cluster.js';
import { demoLoginLines, developmentSecret, portFromEnv, stopOnCtrlC, webEnabled } from './launcher.js';
import { formatLogLine } from './log-format.js';
import { REPO_ROOT } from './services.js';
import { buildWebApps, hashWebApp, listMiniApps, PLAYGROUND_DIR, SHELL_DIR, webBuildDir } from './web-build.js';
import { serveWebApps, type WebServers } from './web-servers.js';

const started = performance.now();
const dataDir = path.resolve(REPO_ROOT, process.env.DATA_DIR ?? '.data/cluster');
await mkdir(dataDir, { recursive: true });
const postgresUrl = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const instances = Number(process.env.INSTANCES ?? 2);
if (!Number.isInteger(instances) || instances < 1 || instances > 9) {
  console.error(`INSTANCES: "${process.env.INSTANCES}" is not a number from 1 to 9`);
  process.exit(1);
}

const webOn = webEnabled();
const shellPort = portFromEnv('SHELL_PORT', 5173);
const miniAppsPort = portFromEnv('MINI_APPS_PORT', 5174);
const miniApps = webOn ? listMiniApps() : [];
const shellOrigins = [`http://127.0.0.1:${shellPort}`, `http://localhost:${shellPort}`];
// The web builds (only what changed) while the processes start; the gateways serve the playground from where its build will be.
const webBuilds = webOn ? buildWebApps([SHELL_DIR, ...miniApps.map((pkg) => pkg.dir), PLAYGROUND_DIR], { onBuild: (dir) => console.log(`Building ${path.relative(REPO_ROOT, dir)} (its build is missing or stale)…`) }) : undefined;
webBuilds?.catch(() => undefined); // awaited below
const webEnv: Record<string, string> = webOn
  ? {
      CORS_ORIGINS: [...shellOrigins, ...(process.env.CORS_ORIGINS ?? '').split(',').filter(Boolean)].join(','),
      PLAYGROUND_DIR: webBuildDir(PLAYGROUND_DIR, await hashWebApp(PLAYGROUND_DIR)),
    }
  : {};

const color = process.stdout.isTTY;
const names: string[] = [];
const cluster = await startCluster({
  dataDir,
  gatewaySecret: await developmentSecret(dataDir),
  postgresUrl,
  databasePrefix: 'mega_cluster',
  redisUrl,
  instances,
  defaultPorts: true,
  env: webEnv,
  onLine: (name, line) => {
    if (!names.includes(name)) names.push(name);
    console.log(formatLogLine(name, names.indexOf(name), line, color));
  },
}).catch((error: unknown) => {
  console.error(`\nThe Mega App cluster failed to start: ${(error as Error).message}`);
  process.exit(1);
});

let web: WebServers | undefined;
if (webBuilds) {
  try {
    const [shell, ...remotes] = await webBuilds;
    web = await serveWebApps({
      shellOutDir: shell!.outDir,
      shellPort,
      gatewayUrl: cluster.url,
      remotes: miniApps.map((pkg, index) => ({ pkg, outDir: remotes[index]!.outDir, port: miniAppsPort + index })),
    });
  } catch (error) {
    console.error(`\nThe web failed to build or start: ${(error as Error).message}`);
    await cluster.stop();
    process.exit(1);
  }
}

const bold = (text: string) => (color ? `\x1b[1m${text}\x1b[0m` : text);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`
${bold('Mega App cluster is running')} (${instances} of each process, started in ${seconds} s)

${web ? `  Web app          ${bold(`${web.shellUrl}/`)}\n` : ''}  GraphQL API      ${bold(cluster.url)}  (load balancer: HTTP and WebSocket, round-robin over the gateways)
${web ? `  Playground       ${new URL('/playground/', cluster.url).toString()}\n` : ''}${cluster.processes.map((each) => `  ${each.name.padEnd(16)} ${each.url}`).join('\n')}
  Media files      ${cluster.mediaFiles.origin}  (load balancer over the media instances: file links and uploads)
  PostgreSQL       ${Object.values(cluster.databaseUrls).join(', ')}
  Redis            ${redisUrl}

  Demo logins (email / password):
${demoLoginLines()}

  Kill an instance to see the others take over, e.g.: kill -9 ${cluster.instancesOf('comms')[0]?.pid}  (comms-1)

Press Ctrl-C to stop.
`);

stopOnCtrlC(() => Promise.all([web?.stop(), cluster.stop()]));
