import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

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
/** How long `stop()` waits for in-flight requests. @default 10000 ms */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const positiveInt = z.coerce.number().int().positive();

const environment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(DEFAULT_PORT),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  GATEWAY_SECRET: z.string({ error: 'is required' }).min(32, 'must be at least 32 characters'),
  SUPERGRAPH: z.string().min(1).optional(),
  SUPERGRAPH_POLL_INTERVAL_MS: positiveInt.default(DEFAULT_SUPERGRAPH_POLL_INTERVAL_MS),
  SUBGRAPH_URLS: z.string().optional(),
  JWKS_URL: httpUrl.optional(),
  SUBGRAPH_TIMEOUT_MS: positiveInt.default(DEFAULT_SUBGRAPH_TIMEOUT_MS),
  MAX_BODY_BYTES: positiveInt.default(DEFAULT_MAX_BODY_BYTES),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(DEFAULT_SHUTDOWN_TIMEOUT_MS),
});

/** Everything the gateway process reads from its environment and command line. */
export interface GatewayConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Shared with the subgraphs: signs the identity headers of every upstream request. */
  gatewaySecret: string;
  /** An absolute file path or an http(s) URL. */
  supergraph: string;
  supergraphPollIntervalMs: number;
  /** Subgraph name -> URL, replacing the URLs written in the supergraph. */
  subgraphUrls: Record<string, string>;
  /** Where the access-token keys are; undefined: derived from the accounts subgraph's URL. */
  jwksUrl: string | undefined;
  subgraphTimeoutMs: number;
  maxBodyBytes: number;
  shutdownTimeoutMs: number;
}

/** Values from the command line, which win over the environment. */
export interface CommandLineOverrides {
  /** `--supergraph <path|url>` */
  supergraph?: string | undefined;
}

/** A missing or malformed setting; the message names each offending variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const PER_SUBGRAPH_URL = /^SUBGRAPH_([A-Z0-9_]+)_URL$/;

function isHttpUrl(value: string): boolean {
  return httpUrl.safeParse(value).success;
}

/** Parses `accounts=http://...,comms=http://...` and every `SUBGRAPH_<NAME>_URL` (which wins). */
function subgraphUrlOverrides(list: string | undefined, env: NodeJS.ProcessEnv, problems: string[]): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const entry of (list ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const separator = entry.indexOf('=');
    const name = entry.slice(0, separator).trim();
    const url = entry.slice(separator + 1).trim();
    if (separator <= 0 || !isHttpUrl(url)) {
      problems.push(`  SUBGRAPH_URLS: "${entry}" is not name=http(s)://host:port/path`);
      continue;
    }
    urls[name] = url;
  }
  for (const [key, value] of Object.entries(env)) {
    const match = PER_SUBGRAPH_URL.exec(key);
    if (!match?.[1] || value === undefined) continue;
    if (!isHttpUrl(value)) {
      problems.push(`  ${key}: must be an http(s) URL`);
      continue;
    }
    urls[match[1].toLowerCase()] = value;
  }
  return urls;
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
  if (supergraph && /^[a-z]+:\/\//i.test(supergraph) && !isHttpUrl(supergraph)) {
    problems.push(`  ${overrides.supergraph ? '--supergraph' : 'SUPERGRAPH'}: must be a file path or an http(s) URL`);
  }
  if (!result.success || problems.length > 0) throw new ConfigError(`Invalid gateway configuration:\n${problems.join('\n')}`);
  const parsed = result.data;
  return {
    env: parsed.NODE_ENV,
    host: parsed.HOST,
    port: parsed.PORT,
    logLevel: parsed.LOG_LEVEL,
    gatewaySecret: parsed.GATEWAY_SECRET,
    supergraph: resolveSupergraphLocation(supergraph),
    supergraphPollIntervalMs: parsed.SUPERGRAPH_POLL_INTERVAL_MS,
    subgraphUrls,
    jwksUrl: parsed.JWKS_URL,
    subgraphTimeoutMs: parsed.SUBGRAPH_TIMEOUT_MS,
    maxBodyBytes: parsed.MAX_BODY_BYTES,
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS,
  };
}

/**
 * `@apollo/gateway` reports usage to Apollo unless APOLLO_TELEMETRY_DISABLED is set; turn that off
 * unless the operator chose otherwise. Call before the gateway is constructed.
 */
export function disableApolloTelemetryByDefault(env: NodeJS.ProcessEnv = process.env): void {
  env.APOLLO_TELEMETRY_DISABLED ??= '1';
}
