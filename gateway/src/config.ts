import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseCorsOrigins } from '@mega/subgraph-kit/cors';
import { parseMetricsSettings, type MetricsOptions } from '@mega/subgraph-kit/metrics';
import { parseTracingSettings, type TracingConfig } from '@mega/subgraph-kit/tracing';
import type { ArmorOptions } from './plugins/armor.js';
import type { SubscriptionsOptions } from './subscriptions/websocket-server.js';
import type { RateLimit, RateLimitsOptions } from './plugins/rate-limits.js';

/** The supergraph the gateway serves when neither `--supergraph` nor SUPERGRAPH says otherwise. */
export const DEFAULT_SUPERGRAPH_FILE = fileURLToPath(new URL('../supergraph.graphql', import.meta.url));

/** @default 4000 */
export const DEFAULT_PORT = 4000;
/** How often a supergraph URL is fetched again. @default 10000 ms */
export const DEFAULT_SUPERGRAPH_POLL_INTERVAL_MS = 10_000;
/** How long one subgraph request may take. @default 10000 ms */
export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 10_000;
/** Largest request body. @default 1 MiB */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** The query plan cache's size, measured as @apollo/gateway measures it (the plans' JSON): @apollo/gateway's own default. */
export const DEFAULT_QUERY_PLAN_CACHE_MIB = 30;
/** How long `stop()` waits for in-flight requests. @default 10000 ms */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
/** The window of the RATE_LIMIT_* variables (requests per this many seconds). */
export const RATE_LIMIT_WINDOW_SECONDS = 60;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const positiveInt = z.coerce.number().int().positive();
/** A count where 0 turns the limit off; unset: the plugin's default. */
const limitOrOff = z.coerce.number().int().min(0).optional();
/** GATEWAY_WORKERS and `--workers`: a positive count or `auto` (one per core). */
const workerCount = z
  .string()
  .regex(/^(auto|[1-9]\d*)$/, 'must be a positive number or auto')
  .transform((value) => (value === 'auto' ? availableParallelism() : Number(value)));
const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const environment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(DEFAULT_PORT),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  GATEWAY_WORKERS: workerCount.optional(),
  GATEWAY_SECRET: z.string({ error: 'is required' }).min(32, 'must be at least 32 characters'),
  SUPERGRAPH: z.string().min(1).optional(),
  SUPERGRAPH_POLL_INTERVAL_MS: positiveInt.default(DEFAULT_SUPERGRAPH_POLL_INTERVAL_MS),
  SUBGRAPH_URLS: z.string().optional(),
  SUBGRAPH_HEALTH_CHECK_INTERVAL_MS: positiveInt.optional(),
  JWKS_URL: httpUrl.optional(),
  SUBGRAPH_TIMEOUT_MS: positiveInt.default(DEFAULT_SUBGRAPH_TIMEOUT_MS),
  MAX_BODY_BYTES: positiveInt.default(DEFAULT_MAX_BODY_BYTES),
  QUERY_PLAN_CACHE_MIB: positiveInt.default(DEFAULT_QUERY_PLAN_CACHE_MIB),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(DEFAULT_SHUTDOWN_TIMEOUT_MS),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  UPSTREAM_TLS_CA_FILE: z.string().min(1).optional(),
  UPSTREAM_TLS_CERT_FILE: z.string().min(1).optional(),
  UPSTREAM_TLS_KEY_FILE: z.string().min(1).optional(),
  CORS_ORIGINS: z.string().optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d+)$/, 'must be true, false or the number of proxies')
    .transform((value) => (value === 'true' ? 1 : value === 'false' ? 0 : Number(value)))
    .default(0),
  PERSISTED_DOCUMENTS_DIR: z.string().min(1).optional(),
  REQUIRE_PERSISTED_DOCUMENTS: flag.optional(),
  RATE_LIMIT_PER_IP: limitOrOff,
  RATE_LIMIT_PER_ANONYMOUS_IP: limitOrOff,
  RATE_LIMIT_PER_USER: limitOrOff,
  RATE_LIMIT_KEY_PREFIX: z.string().min(1).optional(),
  GRAPHQL_MAX_DEPTH: limitOrOff,
  GRAPHQL_MAX_ALIASES: limitOrOff,
  GRAPHQL_MAX_DIRECTIVES: limitOrOff,
  GRAPHQL_MAX_TOKENS: limitOrOff,
  GRAPHQL_MAX_COST: limitOrOff,
  WS_KEEPALIVE_MS: positiveInt.optional(),
  WS_CONNECTION_INIT_TIMEOUT_MS: positiveInt.optional(),
  WS_MAX_PAYLOAD_BYTES: positiveInt.optional(),
  WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: positiveInt.optional(),
  WS_MAX_SUBSCRIPTIONS_PER_USER: positiveInt.optional(),
  PLAYGROUND_ENABLED: flag.optional(),
  PLAYGROUND_DIR: z.string().min(1).optional(),
  ADMIN_USER_IDS: z.string().optional(),
});

/** Everything the gateway process reads from its environment and command line. */
export interface GatewayConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: (typeof LOG_LEVELS)[number];
  /** GATEWAY_WORKERS or `--workers`: processes serving the port (node:cluster); 1: this process serves, no cluster. @default 1 */
  workers: number;
  /** Shared with the subgraphs: signs the identity headers of every upstream request. */
  gatewaySecret: string;
  /** An absolute file path or an http(s) URL. */
  supergraph: string;
  supergraphPollIntervalMs: number;
  /** Subgraph name -> URL, or the URLs of its instances, replacing the URLs written in the supergraph. */
  subgraphUrls: Record<string, string | string[]>;
  /** SUBGRAPH_HEALTH_CHECK_INTERVAL_MS: how often an instance marked down is asked for its /readyz. */
  subgraphHealthCheckIntervalMs: number | undefined;
  /** Where the access-token keys are; undefined: derived from the accounts subgraph's URL. */
  jwksUrl: string | undefined;
  subgraphTimeoutMs: number;
  maxBodyBytes: number;
  /** QUERY_PLAN_CACHE_MIB: the query plan cache's size. */
  queryPlanCacheMib: number;
  shutdownTimeoutMs: number;
  /** HTTPS with this certificate and key (absolute paths); undefined: plain HTTP. */
  tls: { certFile: string; keyFile: string } | undefined;
  /** TLS to `https://` subgraphs: the CA to trust, the client certificate to present (mutual TLS). */
  upstreamTls: { caFile?: string; certFile?: string; keyFile?: string } | undefined;
  /** Browser origins allowed by CORS (CORS_ORIGINS; outside production DEFAULT_DEVELOPMENT_CORS_ORIGINS when unset). */
  corsOrigins: string[];
  /** Redis shared by gateway instances (rate-limit counters); undefined: in memory. */
  redisUrl: string | undefined;
  /** Proxies in front of the gateway that append to X-Forwarded-For; 0: the header is ignored. */
  trustProxy: number;
  /** Folder of persisted-document manifests (absolute). */
  persistedDocumentsDir: string | undefined;
  /** Run only persisted documents (REQUIRE_PERSISTED_DOCUMENTS; default: true in production). */
  requirePersistedDocuments: boolean;
  /** From RATE_LIMIT_PER_*: requests per RATE_LIMIT_WINDOW_SECONDS, false when 0, unset: the plugin's defaults; RATE_LIMIT_KEY_PREFIX: the counters' keys in Redis (several deployments on one Redis). */
  rateLimits: Pick<RateLimitsOptions, 'perIp' | 'perAnonymousIp' | 'perUser' | 'keyPrefix'>;
  /** From GRAPHQL_MAX_*: a limit, false when 0, unset: the plugin's defaults. */
  operationLimits: Pick<ArmorOptions, 'maxDepth' | 'maxAliases' | 'maxDirectives' | 'maxTokens' | 'maxCost'>;
  /** From WS_*: the WebSocket endpoint's timings and limits; unset ones: DEFAULT_SUBSCRIPTION_LIMITS. */
  subscriptions: SubscriptionsOptions;
  /**
   * The playground at /playground/ (PLAYGROUND_ENABLED: on outside production, off in production
   * unless `true`), served from the build in PLAYGROUND_DIR (absolute); in production only to the
   * users in ADMIN_USER_IDS, with no demo logins. Undefined: off, or on without a build to serve.
   */
  playground: { dir: string; adminsOnly: boolean; adminUserIds: string[]; demo: boolean } | undefined;
  /** METRICS_ENABLED, METRICS_TOKEN: who may read /metrics (in production only with a token; `parseMetricsSettings`). */
  metrics: MetricsOptions;
  /** OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT and the other OTEL_* variables (`parseTracingSettings`); undefined: no tracing. */
  tracing: TracingConfig | undefined;
}

/** Values from the command line, which win over the environment. */
export interface CommandLineOverrides {
  /** `--supergraph <path|url>` */
  supergraph?: string | undefined;
  /** `--workers <n|auto>` */
  workers?: string | undefined;
}

/** A missing or malformed setting; the message names each offending variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const PER_SUBGRAPH_URL = /^SUBGRAPH_([A-Z0-9_]+)_URL$/;

/** A certificate and its key come together: both set or neither, else a problem naming the missing one. */
function filePair(cert: [string, string | undefined], key: [string, string | undefined], problems: string[]): { certFile: string; keyFile: string } | undefined {
  const [certName, certFile] = cert;
  const [keyName, keyFile] = key;
  if (certFile && keyFile) return { certFile: path.resolve(certFile), keyFile: path.resolve(keyFile) };
  if (certFile) problems.push(`  ${keyName}: is required when ${certName} is set`);
  if (keyFile) problems.push(`  ${certName}: is required when ${keyName} is set`);
  return undefined;
}

/** A RATE_LIMIT_* value as a rate limit: undefined stays (the default), 0 turns it off. */
function perMinute(points: number | undefined): RateLimit | false | undefined {
  if (points === undefined) return undefined;
  return points === 0 ? false : { points, durationSeconds: RATE_LIMIT_WINDOW_SECONDS };
}

/** A GRAPHQL_MAX_* value: undefined stays (the default), 0 turns the limit off. */
function limit(value: number | undefined): number | false | undefined {
  return value === 0 ? false : value;
}

function isHttpUrl(value: string): boolean {
  return httpUrl.safeParse(value).success;
}

/**
 * Parses `accounts=http://...,comms=http://...` and every `SUBGRAPH_<NAME>_URL` (which wins). A
 * subgraph with several instances lists them comma-separated: `accounts=http://a/graphql,http://b/graphql`
 * (a bare URL belongs to the name before it), `SUBGRAPH_ACCOUNTS_URL=http://a/graphql,http://b/graphql`.
 */
function subgraphUrlOverrides(list: string | undefined, env: NodeJS.ProcessEnv, problems: string[]): Record<string, string | string[]> {
  const lists: Record<string, string[]> = {};
  let previous: string | undefined;
  for (const entry of (list ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    if (previous && isHttpUrl(entry)) {
      lists[previous]!.push(entry);
      continue;
    }
    const separator = entry.indexOf('=');
    const name = entry.slice(0, separator).trim();
    const url = entry.slice(separator + 1).trim();
    if (separator <= 0 || !isHttpUrl(url)) {
      problems.push(`  SUBGRAPH_URLS: "${entry}" is not name=http(s)://host:port/path`);
      previous = undefined;
      continue;
    }
    lists[name] = [url];
    previous = name;
  }
  for (const [key, value] of Object.entries(env)) {
    const match = PER_SUBGRAPH_URL.exec(key);
    if (!match?.[1] || value === undefined) continue;
    const urls = value.split(',').map((part) => part.trim()).filter(Boolean);
    if (urls.length === 0 || !urls.every(isHttpUrl)) {
      problems.push(`  ${key}: must be an http(s) URL, or several separated by commas`);
      continue;
    }
    lists[match[1].toLowerCase()] = urls;
  }
  return Object.fromEntries(Object.entries(lists).map(([name, urls]) => [name, urls.length === 1 ? urls[0]! : urls]));
}

/** A supergraph location as given by a person: an http(s) URL as is, a path made absolute. */
export function resolveSupergraphLocation(location: string | undefined, cwd = process.cwd()): string {
  if (!location) return DEFAULT_SUPERGRAPH_FILE;
  return /^https?:\/\//i.test(location) ? location : path.resolve(cwd, location);
}

/**
 * Reads and checks the gateway's settings. The only place the gateway reads `process.env`.
 * @throws ConfigError naming every missing or malformed variable
 */
export function readGatewayConfig(env: NodeJS.ProcessEnv = process.env, overrides: CommandLineOverrides = {}): GatewayConfig {
  const result = environment.safeParse(env);
  const problems = result.success ? [] : result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  const subgraphUrls = subgraphUrlOverrides(env.SUBGRAPH_URLS, env, problems);
  const supergraph = overrides.supergraph ?? env.SUPERGRAPH;
  const workers = overrides.workers === undefined ? undefined : workerCount.safeParse(overrides.workers);
  if (workers && !workers.success) problems.push('  --workers: must be a positive number or auto');
  if (supergraph && /^[a-z]+:\/\//i.test(supergraph) && !isHttpUrl(supergraph)) {
    problems.push(`  ${overrides.supergraph ? '--supergraph' : 'SUPERGRAPH'}: must be a file path or an http(s) URL`);
  }
  const tls = filePair(['TLS_CERT_FILE', env.TLS_CERT_FILE], ['TLS_KEY_FILE', env.TLS_KEY_FILE], problems);
  const upstreamClient = filePair(['UPSTREAM_TLS_CERT_FILE', env.UPSTREAM_TLS_CERT_FILE], ['UPSTREAM_TLS_KEY_FILE', env.UPSTREAM_TLS_KEY_FILE], problems);
  const production = (env.NODE_ENV ?? 'development') === 'production';
  const cors = parseCorsOrigins(env.CORS_ORIGINS, production);
  problems.push(...cors.problems);
  const metrics = parseMetricsSettings(env, production);
  problems.push(...metrics.problems);
  const tracing = parseTracingSettings(env);
  problems.push(...tracing.problems);
  const requirePersistedDocuments = result.data?.REQUIRE_PERSISTED_DOCUMENTS ?? production;
  if (requirePersistedDocuments && !env.PERSISTED_DOCUMENTS_DIR) {
    problems.push(
      `  PERSISTED_DOCUMENTS_DIR: is required when only persisted documents run (${env.REQUIRE_PERSISTED_DOCUMENTS ? 'REQUIRE_PERSISTED_DOCUMENTS' : 'NODE_ENV=production'}); or set REQUIRE_PERSISTED_DOCUMENTS=false to accept any query`,
    );
  }
  const adminUserIds = (env.ADMIN_USER_IDS ?? '').split(',').map((id) => id.trim()).filter(Boolean);
  const playgroundEnabled = result.data?.PLAYGROUND_ENABLED ?? !production;
  if (playgroundEnabled && env.PLAYGROUND_ENABLED && !env.PLAYGROUND_DIR) problems.push('  PLAYGROUND_DIR: is required when PLAYGROUND_ENABLED is set (the playground\'s build: vite build in playground/)');
  if (playgroundEnabled && production && adminUserIds.length === 0) problems.push('  ADMIN_USER_IDS: is required for the playground in production (only these users may use it)');
  if (!result.success || problems.length > 0) throw new ConfigError(`Invalid gateway configuration:\n${problems.join('\n')}`);
  const parsed = result.data;
  return {
    env: parsed.NODE_ENV,
    host: parsed.HOST,
    port: parsed.PORT,
    logLevel: parsed.LOG_LEVEL,
    workers: workers?.data ?? parsed.GATEWAY_WORKERS ?? 1,
    gatewaySecret: parsed.GATEWAY_SECRET,
    supergraph: resolveSupergraphLocation(supergraph),
    supergraphPollIntervalMs: parsed.SUPERGRAPH_POLL_INTERVAL_MS,
    subgraphUrls,
    subgraphHealthCheckIntervalMs: parsed.SUBGRAPH_HEALTH_CHECK_INTERVAL_MS,
    jwksUrl: parsed.JWKS_URL,
    subgraphTimeoutMs: parsed.SUBGRAPH_TIMEOUT_MS,
    maxBodyBytes: parsed.MAX_BODY_BYTES,
    queryPlanCacheMib: parsed.QUERY_PLAN_CACHE_MIB,
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS,
    tls,
    upstreamTls:
      upstreamClient || parsed.UPSTREAM_TLS_CA_FILE
        ? { ...upstreamClient, ...(parsed.UPSTREAM_TLS_CA_FILE ? { caFile: path.resolve(parsed.UPSTREAM_TLS_CA_FILE) } : {}) }
        : undefined,
    corsOrigins: cors.origins,
    redisUrl: parsed.REDIS_URL,
    trustProxy: parsed.TRUST_PROXY,
    persistedDocumentsDir: parsed.PERSISTED_DOCUMENTS_DIR ? path.resolve(parsed.PERSISTED_DOCUMENTS_DIR) : undefined,
    requirePersistedDocuments,
    rateLimits: {
      perIp: perMinute(parsed.RATE_LIMIT_PER_IP),
      perAnonymousIp: perMinute(parsed.RATE_LIMIT_PER_ANONYMOUS_IP),
      perUser: perMinute(parsed.RATE_LIMIT_PER_USER),
      ...(parsed.RATE_LIMIT_KEY_PREFIX ? { keyPrefix: parsed.RATE_LIMIT_KEY_PREFIX } : {}),
    },
    operationLimits: {
      maxDepth: limit(parsed.GRAPHQL_MAX_DEPTH),
      maxAliases: limit(parsed.GRAPHQL_MAX_ALIASES),
      maxDirectives: limit(parsed.GRAPHQL_MAX_DIRECTIVES),
      maxTokens: limit(parsed.GRAPHQL_MAX_TOKENS),
      maxCost: limit(parsed.GRAPHQL_MAX_COST),
    },
    playground:
      playgroundEnabled && parsed.PLAYGROUND_DIR
        ? { dir: path.resolve(parsed.PLAYGROUND_DIR), adminsOnly: production, adminUserIds, demo: !production }
        : undefined,
    subscriptions: {
      ...(parsed.WS_KEEPALIVE_MS ? { keepAliveMs: parsed.WS_KEEPALIVE_MS } : {}),
      ...(parsed.WS_CONNECTION_INIT_TIMEOUT_MS ? { connectionInitTimeoutMs: parsed.WS_CONNECTION_INIT_TIMEOUT_MS } : {}),
      ...(parsed.WS_MAX_PAYLOAD_BYTES ? { maxPayloadBytes: parsed.WS_MAX_PAYLOAD_BYTES } : {}),
      ...(parsed.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION ? { maxSubscriptionsPerConnection: parsed.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION } : {}),
      ...(parsed.WS_MAX_SUBSCRIPTIONS_PER_USER ? { maxSubscriptionsPerUser: parsed.WS_MAX_SUBSCRIPTIONS_PER_USER } : {}),
    },
    metrics: metrics.options,
    tracing: tracing.config,
  };
}

/**
 * `@apollo/gateway` reports usage to Apollo unless APOLLO_TELEMETRY_DISABLED is set; turn that off
 * unless the operator chose otherwise. Call before the gateway is constructed.
 */
export function disableApolloTelemetryByDefault(env: NodeJS.ProcessEnv = process.env): void {
  env.APOLLO_TELEMETRY_DISABLED ??= '1';
}
