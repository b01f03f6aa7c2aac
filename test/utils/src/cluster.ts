import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { Agent } from 'undici';
import { buildServices } from './build.js';
import { startLoadBalancer, type LoadBalancer } from './load-balancer.js';
import { freePorts } from './ports.js';
import { SERVICES, SUBGRAPHS, type ServiceName } from './services.js';
import { spawnService, terminateChild, waitForReady } from './stack.js';

/** `pnpm start:cluster`'s ports: the load balancer on the gateway's usual 4000, instance n's processes on 40n0 (gateway) to 40n4 (commerce). */
export const DEFAULT_CLUSTER_PORTS = {
  loadBalancer: 4000,
  /** The media files' load balancer (MEDIA_PUBLIC_URL: file links and upload URLs). */
  mediaFiles: 4005,
  instance: (index: number, service: ServiceName) => 4000 + 10 * index + (service === 'gateway' ? 0 : SUBGRAPHS.indexOf(service) + 1),
};

export interface ClusterOptions {
  /** Where each process keeps its files (media uploads): shared by the instances of a subgraph. */
  dataDir: string;
  gatewaySecret: string;
  /** A PostgreSQL server URL whose user may create databases, e.g. postgres://postgres@127.0.0.1:5432/postgres */
  postgresUrl: string;
  /** Each subgraph's database is `<prefix>_<subgraph>`, created when missing and shared by its instances. */
  databasePrefix: string;
  /** Redis for every process: subgraph events (pub/sub) and the gateways' rate-limit counters. */
  redisUrl: string;
  /** Instances of each process. @default 2 */
  instances?: number;
  /** Fixed ports (`DEFAULT_CLUSTER_PORTS`); otherwise free ones. @default false */
  defaultPorts?: boolean;
  /** @default 'development' */
  nodeEnv?: 'development' | 'production' | 'test';
  /** Extra environment for every process. */
  env?: Record<string, string>;
  /** Receives every line a process prints, with the process's name (`comms-2`). */
  onLine?: (name: string, line: string) => void;
  /** Bundle the services first; false runs what `dist/` holds. @default true */
  build?: boolean;
  /** How often a gateway asks a subgraph instance marked down, and the load balancer a gateway, for /readyz. @default 1000 */
  healthCheckIntervalMs?: number;
  /** @default 120000 */
  readyTimeoutMs?: number;
}

/** One process of the cluster. */
export interface ClusterProcess {
  /** `gateway-1`, `comms-2`, ... */
  name: string;
  service: ServiceName;
  /** Its own `/graphql` URL (not through the load balancer). */
  url: string;
  origin: string;
  readonly pid: number | undefined;
  /** The last lines it printed. */
  logs: string[];
  /** SIGKILL, as a crash would; resolves once it exited. */
  kill(): Promise<void>;
}

export interface Cluster {
  /** The GraphQL endpoint through the load balancer (HTTP and WebSocket). */
  url: string;
  loadBalancer: LoadBalancer;
  /** The load balancer in front of the media instances: MEDIA_PUBLIC_URL, where file links and upload URLs point. */
  mediaFiles: LoadBalancer;
  processes: ClusterProcess[];
  /** The instances of one service, in order (`comms-1`, `comms-2`). */
  instancesOf(service: ServiceName): ClusterProcess[];
  /** Each subgraph's database URL. */
  databaseUrls: Record<(typeof SUBGRAPHS)[number], string>;
  /** SIGTERM to all (SIGKILL after `timeoutMs`), the load balancer closed. Idempotent. */
  stop(timeoutMs?: number): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Creates each database that does not exist yet. */
export async function ensureDatabases(postgresUrl: string, names: readonly string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where datname = any($1)', [names]);
    const existing = new Set(rows.map((row) => row.datname));
    for (const name of names) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`"${name}" is not a plain database name`);
      if (!existing.has(name)) await admin.query(`create database ${name}`);
    }
  } finally {
    await admin.end();
  }
}

/** Runs one SQL query on the database at `url` (tests checking what was stored). */
export async function queryDatabase<TRow extends Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<TRow[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<TRow>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Drops the databases (tests). */
export async function dropDatabases(postgresUrl: string, names: readonly string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    for (const name of names) await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * Several instances of every process on this machine, as a deployment would run them: each
 * subgraph `instances` times on its own PostgreSQL database (shared by its instances), every
 * process on one Redis, `instances` gateways that each know every subgraph instance (comma-separated
 * SUBGRAPH_URLS: round-robin, failover, health checks), and a small load balancer in front of the
 * gateways (HTTP and WebSocket, TRUST_PROXY=1 behind it). All processes start in parallel; only
 * the first instance of each subgraph seeds the demo data. Used by `pnpm start:cluster` and the
 * cluster end-to-end test.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const count = options.instances ?? 2;
  const indexes = Array.from({ length: count }, (_, index) => index + 1);
  const layout = indexes.flatMap((index) => SERVICES.map((service) => ({ index, service, name: `${service}-${index}` })));
  const free = options.defaultPorts ? [] : await freePorts(layout.length + 1);
  const mediaFilesPort = options.defaultPorts ? DEFAULT_CLUSTER_PORTS.mediaFiles : free[layout.length]!;
  const ports = new Map(layout.map((entry, position) => [entry.name, options.defaultPorts ? DEFAULT_CLUSTER_PORTS.instance(entry.index, entry.service) : free[position]!]));
  const origin = (name: string) => `http://127.0.0.1:${ports.get(name)}`;
  const healthCheckIntervalMs = options.healthCheckIntervalMs ?? 1_000;

  const databaseNames = Object.fromEntries(SUBGRAPHS.map((subgraph) => [subgraph, `${options.databasePrefix}_${subgraph}`])) as Record<(typeof SUBGRAPHS)[number], string>;
  const databaseUrls = Object.fromEntries(
    SUBGRAPHS.map((subgraph) => {
      const url = new URL(options.postgresUrl);
      url.pathname = `/${databaseNames[subgraph]}`;
      return [subgraph, url.toString()];
    }),
  ) as Record<(typeof SUBGRAPHS)[number], string>;
  const subgraphUrls = SUBGRAPHS.map((subgraph) => `${subgraph}=${indexes.map((index) => `${origin(`${subgraph}-${index}`)}/graphql`).join(',')}`).join(',');

  const envFor = (service: ServiceName, name: string, index: number): NodeJS.ProcessEnv => ({
    ...process.env,
    NODE_ENV: options.nodeEnv ?? 'development',
    HOST: '127.0.0.1',
    PORT: String(ports.get(name)),
    DATA_DIR: options.dataDir,
    GATEWAY_SECRET: options.gatewaySecret,
    SEED: String(index === 1),
    APOLLO_TELEMETRY_DISABLED: '1',
    // Files and uploads are reached through a load balancer of their own, as a deployment's media Service: any instance serves them (shared DATA_DIR).
    MEDIA_PUBLIC_URL: `http://127.0.0.1:${mediaFilesPort}`,
    REDIS_URL: options.redisUrl,
    ...(service === 'gateway'
      ? { SUBGRAPH_URLS: subgraphUrls, TRUST_PROXY: '1', SUBGRAPH_HEALTH_CHECK_INTERVAL_MS: String(healthCheckIntervalMs) }
      : { DATABASE_URL: databaseUrls[service] }),
    ...options.env,
  });

  const probes = new Agent();
  const processes: ClusterProcess[] = [];
  const children = new Map<string, ChildProcess>();
  const launch = async ({ service, name, index }: (typeof layout)[number]) => {
    const logs: string[] = [];
    const child = spawnService(service, envFor(service, name, index), logs, (line) => options.onLine?.(name, line));
    children.set(name, child);
    processes.push({
      name,
      service,
      url: `${origin(name)}/graphql`,
      origin: origin(name),
      get pid() {
        return child.pid;
      },
      logs,
      kill: () => terminate(name, 'SIGKILL', 0),
    });
    await waitForReady(`${origin(name)}/readyz`, child, options.readyTimeoutMs ?? 120_000, name, probes);
  };

  const terminate = (name: string, signal: NodeJS.Signals, timeoutMs: number) => terminateChild(children.get(name), signal, timeoutMs);

  let loadBalancer: LoadBalancer | undefined;
  let mediaFiles: LoadBalancer | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (timeoutMs = 15_000) => {
    stopped ??= Promise.all([loadBalancer?.stop(), mediaFiles?.stop(), ...layout.map((entry) => terminate(entry.name, 'SIGTERM', timeoutMs))]).then(() => probes.close());
    return stopped;
  };

  try {
    await Promise.all([options.build ?? true ? buildServices(SERVICES) : undefined, ensureDatabases(options.postgresUrl, Object.values(databaseNames))]);
    // Gateways wait for nothing: they load the supergraph from their file and are ready before the subgraphs are.
    await Promise.all(layout.map(launch));
    [loadBalancer, mediaFiles] = await Promise.all([
      startLoadBalancer({ backends: indexes.map((index) => origin(`gateway-${index}`)), port: options.defaultPorts ? DEFAULT_CLUSTER_PORTS.loadBalancer : 0, healthCheckIntervalMs }),
      startLoadBalancer({ backends: indexes.map((index) => origin(`media-${index}`)), port: mediaFilesPort, healthCheckIntervalMs }),
    ]);
  } catch (error) {
    await stop(2_000);
    const tail = processes.map((each) => `--- ${each.name}\n${each.logs.slice(-30).join('\n')}`).join('\n');
    throw new Error(`${(error as Error).message}\n${tail}`, { cause: error });
  }

  const ordered = layout.map((entry) => processes.find((each) => each.name === entry.name)!);
  return {
    url: `${loadBalancer.origin}/graphql`,
    loadBalancer,
    mediaFiles: mediaFiles!,
    processes: ordered,
    instancesOf: (service) => ordered.filter((each) => each.service === service),
    databaseUrls,
    stop,
    [Symbol.asyncDispose]: () => stop(),
  };
}
