import path from 'node:path';
import { z } from 'zod';
import { parseMetricsSettings, type MetricsOptions } from './metrics.js';
import type { SubgraphTlsOptions } from './tls.js';
import { parseTracingSettings, type TracingConfig } from './tracing.js';

/** Ports a subgraph listens on when PORT is not set. */
export const DEFAULT_PORTS = { accounts: 4001, comms: 4002, media: 4003, commerce: 4004 } as const;
export type SubgraphName = keyof typeof DEFAULT_PORTS;

const environment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  GATEWAY_SECRET: z.string().min(32, 'GATEWAY_SECRET must be at least 32 characters'),
  GATEWAY_SECRET_PREVIOUS: z.string().min(32, 'GATEWAY_SECRET_PREVIOUS must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED: z.enum(['true', 'false']).default('true'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  TLS_CLIENT_CA_FILE: z.string().min(1).optional(),
  METRICS_ENABLED: z.string().optional(),
  METRICS_TOKEN: z.string().optional(),
});

const TLS_VARIABLES = ['TLS_CERT_FILE', 'TLS_KEY_FILE', 'TLS_CLIENT_CA_FILE'] as const;

/** Everything a subgraph process reads from its environment. */
export interface SubgraphConfig {
  service: SubgraphName;
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** PostgreSQL server URL; when absent the subgraph uses embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined;
  /** This subgraph's own folder, `<DATA_DIR>/<service>`; PGlite keeps its data in `pgdata/` there. */
  dataDir: string;
  /** Redis for state shared by instances (login throttling, pub/sub); absent: in process. */
  redisUrl: string | undefined;
  /** Shared secret for the gateway's identity signatures (see identity.ts). */
  gatewaySecret: string;
  /** The previous shared secret, accepted too while a rotation is under way (docs/security.md). */
  previousGatewaySecret: string | undefined;
  logLevel: string;
  /** Seed demo data on first start. @default true */
  seed: boolean;
  /** How long graceful shutdown waits for in-flight requests. @default 10000 */
  shutdownTimeoutMs: number;
  /** Mutual TLS (absolute paths): HTTPS that requires a client certificate; undefined: plain HTTP. */
  tls: SubgraphTlsOptions | undefined;
  /** METRICS_ENABLED, METRICS_TOKEN: who may read /metrics (`parseMetricsSettings`). */
  metrics: MetricsOptions;
  /** OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT and the other OTEL_* variables (`parseTracingSettings`); undefined: no tracing. */
  tracing: TracingConfig | undefined;
}

/** Fails with a message naming each missing or malformed variable. */
export function parseEnvironment<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  return result.data;
}

/** TLS_CERT_FILE, TLS_KEY_FILE and TLS_CLIENT_CA_FILE come together: all three or none. */
function tlsFiles(parsed: Partial<Record<(typeof TLS_VARIABLES)[number], string>>): SubgraphTlsOptions | undefined {
  const missing = TLS_VARIABLES.filter((name) => !parsed[name]);
  if (missing.length === TLS_VARIABLES.length) return undefined;
  if (missing.length > 0) {
    throw new Error(`Invalid configuration:\n${missing.map((name) => `  ${name}: is required when any of ${TLS_VARIABLES.join(', ')} is set`).join('\n')}`);
  }
  return { certFile: path.resolve(parsed.TLS_CERT_FILE!), keyFile: path.resolve(parsed.TLS_KEY_FILE!), clientCaFile: path.resolve(parsed.TLS_CLIENT_CA_FILE!) };
}

/** Reads the common subgraph settings. The only place a subgraph reads `process.env`. */
export function readSubgraphConfig(service: SubgraphName, env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  const parsed = parseEnvironment(environment, env);
  const metrics = parseMetricsSettings(parsed, parsed.NODE_ENV === 'production');
  const tracing = parseTracingSettings(env);
  const problems = [...metrics.problems, ...tracing.problems];
  if (problems.length > 0) throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  return {
    service,
    env: parsed.NODE_ENV,
    host: parsed.HOST,
    port: parsed.PORT ?? DEFAULT_PORTS[service],
    databaseUrl: parsed.DATABASE_URL,
    dataDir: path.resolve(parsed.DATA_DIR, service),
    redisUrl: parsed.REDIS_URL,
    gatewaySecret: parsed.GATEWAY_SECRET,
    previousGatewaySecret: parsed.GATEWAY_SECRET_PREVIOUS,
    logLevel: parsed.LOG_LEVEL,
    seed: parsed.SEED === 'true',
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS,
    tls: tlsFiles(parsed),
    metrics: metrics.options,
    tracing: tracing.config,
  };
}
