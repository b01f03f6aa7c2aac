import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices, bundlePath, eventually, freePort, parsePrometheusText, REPO_ROOT, startFederation, TEST_GATEWAY_SECRET, type Federation } from '@mega/test-utils';

const QUERY = JSON.stringify({ query: '{ products(first: 1) { edges { node { id } } } }' });

interface LogLine {
  msg: string;
  worker?: number;
  pid?: number;
  role?: string;
  [key: string]: unknown;
}

/** The bundled gateway (`node dist/main.mjs`, as in the image) with its JSON log lines. */
interface GatewayProcess {
  child: ChildProcess;
  logs: LogLine[];
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** Log lines with this `msg` (and these fields). */
  find(msg: string, fields?: Partial<LogLine>): LogLine[];
}

function launchGateway(args: string[], env: NodeJS.ProcessEnv): GatewayProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', bundlePath('gateway'), ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: LogLine[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        logs.push({ msg: line });
      }
    });
  }
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const find = (msg: string, fields: Partial<LogLine> = {}) => logs.filter((line) => line.msg === msg && Object.entries(fields).every(([key, value]) => line[key] === value));
  return { child, logs, exited, find };
}

/** A POST of QUERY on a new connection (the primary hands each connection to the next worker). */
function queryOnNewConnection(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(QUERY);
  });
}

function scrapeOnNewConnection(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(parsePrometheusText(body).value('mega_gateway_requests_total')));
    })
      .on('error', reject)
      .end();
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Clients that keep sending QUERY over keep-alive connections (fetch's default, as browsers and load balancers do), counting what fails. */
function startLoad(port: number, clients: number) {
  const failures: string[] = [];
  let answered = 0;
  let running = true;
  const loop = async () => {
    while (running) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY });
        const body = await response.text();
        if (response.status === 200 && body.includes('"products"')) answered += 1;
        else failures.push(`${response.status} ${body.slice(0, 200)}`);
      } catch (error) {
        failures.push(String((error as Error).cause ?? error));
      }
    }
  };
  const loops = Array.from({ length: clients }, loop);
  return {
    failures,
    get answered() {
      return answered;
    },
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

describe('gateway workers (--workers 2): one port served by a cluster of gateway processes', () => {
  let federation: Federation;
  let env: NodeJS.ProcessEnv;
  let port: number;
  let gateway: GatewayProcess;
  /** Started with the others (it fails on its own time): a supergraph file that does not exist. */
  let broken: GatewayProcess;
  /** Started with the others and sent SIGTERM while its workers start. */
  let stoppedEarly: GatewayProcess;

  beforeAll(async () => {
    [federation] = await Promise.all([startFederation(), buildServices(['gateway'])]);
    port = await freePort();
    env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      GATEWAY_SECRET: TEST_GATEWAY_SECRET,
      SUBGRAPH_URLS: (['accounts', 'comms', 'media', 'commerce'] as const).map((name) => `${name}=${federation[name].url}`).join(','),
      JWKS_URL: new URL('/.well-known/jwks.json', federation.accounts.url).href,
      RATE_LIMIT_PER_IP: '0',
      RATE_LIMIT_PER_ANONYMOUS_IP: '0',
      SHUTDOWN_TIMEOUT_MS: '5000',
    };
    gateway = launchGateway(['--workers', '2'], env);
    broken = launchGateway(['--workers', '2'], { ...env, PORT: String(await freePort()), SUPERGRAPH: '/nonexistent/supergraph.graphql' });
    stoppedEarly = launchGateway(['--workers', '2'], { ...env, PORT: String(await freePort()) });
    await eventually(() => expect(stoppedEarly.find('starting gateway workers')).toHaveLength(1), 30_000);
    stoppedEarly.child.kill('SIGTERM');
    await eventually(() => expect(gateway.find('gateway workers ready')).toHaveLength(1), 60_000);
  });

  afterAll(async () => {
    for (const each of [gateway, broken, stoppedEarly]) {
      if (!each || each.child.exitCode !== null || each.child.signalCode !== null) continue;
      each.child.kill('SIGKILL');
      for (const line of each.find('gateway listening')) if (line.pid && isAlive(line.pid)) process.kill(line.pid, 'SIGKILL');
    }
    await federation?.stop();
  });

  it('serves requests from both workers, and /metrics on any of them counts the requests of all', async () => {
    expect(gateway.find('rate limits are counted in each worker (no REDIS_URL): a client gets up to GATEWAY_WORKERS times its limit')).toHaveLength(1);
    for (let i = 0; i < 8; i++) expect((await queryOnNewConnection(port)).status).toBe(200);
    await eventually(() => expect(gateway.find('graphql request')).toHaveLength(8));
    expect(new Set(gateway.find('graphql request').map((line) => line.worker))).toEqual(new Set([1, 2]));
    // Consecutive scrapes land on both workers; each answers the cluster's total.
    expect(await Promise.all([1, 2, 3, 4].map(() => scrapeOnNewConnection(port)))).toEqual([8, 8, 8, 8]);
  });

  it('replaces both workers one at a time on SIGHUP while clients keep sending, without a failed request', async () => {
    const load = startLoad(port, 2);
    try {
      await eventually(() => expect(load.answered).toBeGreaterThan(20));
      gateway.child.kill('SIGHUP');
      await eventually(() => expect(gateway.find('rolling restart done')).toHaveLength(1), 30_000);
      const before = load.answered;
      await eventually(() => expect(load.answered).toBeGreaterThan(before + 10));
    } finally {
      await load.stop();
    }
    expect(load.failures).toEqual([]);
    expect(gateway.find('gateway worker replaced').map((line) => [line.worker, line.replaced])).toEqual([
      [3, 1],
      [4, 2],
    ]);
    const old = gateway.find('gateway listening').filter((line) => line.worker === 1 || line.worker === 2);
    expect(old.filter((line) => isAlive(line.pid!))).toEqual([]);
    const afterRestart = gateway.logs.slice(gateway.logs.indexOf(gateway.find('rolling restart done')[0]!));
    expect(new Set(afterRestart.filter((line) => line.msg === 'graphql request').map((line) => line.worker))).toEqual(new Set([3, 4]));
  });

  it('replaces a worker killed with SIGKILL, and the port keeps answering', async () => {
    const victim = gateway.find('gateway listening', { worker: 3 })[0]!;
    process.kill(victim.pid!, 'SIGKILL');
    await eventually(() => expect(gateway.find('gateway worker exited; starting another', { pid: victim.pid })).toHaveLength(1));
    for (let i = 0; i < 4; i++) expect((await queryOnNewConnection(port)).status).toBe(200);
    await eventually(() => expect(gateway.find('gateway listening', { worker: 5 })).toHaveLength(1), 30_000);
    await eventually(async () => {
      expect((await queryOnNewConnection(port)).status).toBe(200);
      expect(gateway.find('graphql request', { worker: 5 }).length).toBeGreaterThan(0);
    });
  });

  it('stops every worker on SIGTERM, and the primary exits with 0', async () => {
    const workers = gateway.find('gateway listening', { worker: 4 }).concat(gateway.find('gateway listening', { worker: 5 }));
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toEqual([0, null]);
    expect(gateway.find('gateway stopped').map((line) => line.worker).sort()).toEqual(expect.arrayContaining([4, 5]));
    expect(workers.filter((line) => isAlive(line.pid!))).toEqual([]);
    await expect(queryOnNewConnection(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('stops workers that are still starting on SIGTERM, and exits with 0', async () => {
    expect(await stoppedEarly.exited).toEqual([0, null]);
    expect(stoppedEarly.find('gateway worker did not stop in time; killing it')).toEqual([]);
  });

  it('gives up with exit code 1 when workers keep failing to start', async () => {
    expect(await broken.exited).toEqual([1, null]);
    expect(broken.find('a gateway worker keeps failing to start; stopping the cluster')).toHaveLength(1);
    expect(broken.find('gateway failed to start').length).toBeGreaterThanOrEqual(3);
  });
});
