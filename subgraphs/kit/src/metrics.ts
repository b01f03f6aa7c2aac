import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';

/** Where the gateway and every subgraph serve their metrics (Prometheus text format). */
export const METRICS_PATH = '/metrics';
/** Prefix of every metric name, Node's default metrics included (`mega_nodejs_eventloop_lag_seconds`). */
export const METRICS_PREFIX = 'mega_';
/** Buckets (seconds) of every latency histogram: 5 ms to 10 s. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** The `operation` label of an operation without a name, or one that was never resolved (a parse error). */
export const ANONYMOUS_OPERATION = 'anonymous';
/** The `operation` label of every name seen after `DEFAULT_MAX_OPERATION_LABELS` distinct ones. */
export const OTHER_OPERATIONS = 'other';
/** Distinct operation names one process labels before it counts the rest as `other` (clients choose names). */
export const DEFAULT_MAX_OPERATION_LABELS = 200;
/** Shortest `METRICS_TOKEN` accepted. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

/**
 * Who may read `/metrics`. The gateway and the subgraphs take the same options (METRICS_ENABLED,
 * METRICS_TOKEN); see `parseMetricsSettings` for the production rule.
 */
export interface MetricsOptions {
  /** Serve `GET /metrics`; false: the path answers 404 and nothing is measured. @default true */
  enabled?: boolean | undefined;
  /**
   * When set, `/metrics` answers only requests with `Authorization: Bearer <token>`; others get 401
   * `UNAUTHENTICATED`. @default none: anyone who can reach the port may read it
   */
  token?: string | undefined;
}

/** The type label of a GraphQL operation; `unknown` when it could not be resolved (parse or validation errors). */
export type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';

/**
 * METRICS_ENABLED and METRICS_TOKEN as `MetricsOptions`, with the one rule that keeps `/metrics`
 * off the internet: in production it is served only with a token (unset METRICS_ENABLED means on
 * when METRICS_TOKEN is set, off otherwise), and METRICS_ENABLED=true without a token is refused.
 * @returns the options, and a line per problem naming the variable (empty when valid)
 */
export function parseMetricsSettings(
  env: { METRICS_ENABLED?: string | undefined; METRICS_TOKEN?: string | undefined },
  production: boolean,
): { options: MetricsOptions; problems: string[] } {
  const problems: string[] = [];
  const token = env.METRICS_TOKEN === '' ? undefined : env.METRICS_TOKEN;
  if (token !== undefined && token.length < MIN_METRICS_TOKEN_LENGTH) problems.push(`  METRICS_TOKEN: must be at least ${MIN_METRICS_TOKEN_LENGTH} characters`);
  let enabled: boolean;
  if (env.METRICS_ENABLED === undefined || env.METRICS_ENABLED === '') enabled = !production || token !== undefined;
  else if (['true', '1'].includes(env.METRICS_ENABLED)) enabled = true;
  else if (['false', '0'].includes(env.METRICS_ENABLED)) enabled = false;
  else {
    problems.push('  METRICS_ENABLED: must be true, false, 1 or 0');
    enabled = false;
  }
  if (production && enabled && token === undefined) {
    problems.push('  METRICS_TOKEN: is required to serve /metrics in production (METRICS_ENABLED); or set METRICS_ENABLED=false');
  }
  return { options: { enabled, ...(token !== undefined ? { token } : {}) }, problems };
}

/**
 * A registry of its own for one gateway or subgraph (never prom-client's global one, so that several
 * servers in one process keep apart), with a `service` label on every series.
 */
export function createMetricsRegistry(service: string): Registry {
  processRegistry(); // Node's metrics start measuring (event-loop lag) with the first server, not its first scrape
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  return registry;
}

let processMetrics: Registry | undefined;

/**
 * Node's default metrics (CPU, memory, heap, GC, handles, event-loop lag) under `METRICS_PREFIX`,
 * collected once per process: they describe the process whatever servers run in it, and each
 * collection keeps an event-loop timer and a GC observer for good (prom-client cannot stop them).
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics, prefix: METRICS_PREFIX });
  }
  return processMetrics;
}

/** What one `/metrics` serves: a service's registry. */
export interface MetricsSource {
  registry: Registry;
  /** The `service` label of every series, Node's default metrics included. */
  service: string;
  /** What `/metrics` serves instead of `metricsText(source)`, e.g. the aggregate of a cluster's workers. @default metricsText */
  text?: (() => Promise<string>) | undefined;
}

function mergedRegistry(source: MetricsSource): Registry {
  const merged = Registry.merge([source.registry, processRegistry()]);
  merged.setDefaultLabels({ service: source.service });
  return merged;
}

/** The Prometheus text of `source.registry` followed by the process's default metrics, all labelled with the service. */
export async function metricsText(source: MetricsSource): Promise<string> {
  return mergedRegistry(source).metrics();
}

/** The same series as `metricsText`, as prom-client's JSON: what a cluster worker hands to its primary to aggregate (`AggregatorRegistry.aggregate`). */
export async function metricsJson(source: MetricsSource): Promise<MetricObjectWithValues<MetricValue<string>>[]> {
  return mergedRegistry(source).getMetricsAsJSON();
}

/** Seconds since `started` (a `performance.now()`). */
export function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}

/** `extensions.code` of each error as a label: a catalogue code, else `INTERNAL_SERVER_ERROR` (none) or `OTHER` (not a code). */
export function errorCodes(errors: readonly GraphQLFormattedError[] | undefined): string[] {
  return (errors ?? []).map((error) => {
    const code = error.extensions?.code;
    if (code === undefined) return 'INTERNAL_SERVER_ERROR';
    return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : 'OTHER';
  });
}

/** One GraphQL request as measured. */
export interface MeasuredRequest {
  /** From `GraphQLRequestMetrics.operationLabel`. */
  operation: string;
  type: OperationType;
  seconds: number;
  /** One entry per error in the response (`errorCodes`). */
  errorCodes: readonly string[];
}

/**
 * `mega_<scope>_requests_total{operation,type}`, `mega_<scope>_request_duration_seconds{operation,type}`
 * and `mega_<scope>_errors_total{code}`: the same three on the gateway and on every subgraph.
 */
export class GraphQLRequestMetrics {
  private readonly requests: Counter<'operation' | 'type'>;
  private readonly duration: Histogram<'operation' | 'type'>;
  private readonly errors: Counter<'code'>;
  private readonly names = new Set<string>();

  constructor(
    registry: Registry,
    scope: 'gateway' | 'subgraph',
    private readonly maxOperationLabels = DEFAULT_MAX_OPERATION_LABELS,
  ) {
    const registers = [registry];
    this.requests = new Counter({
      name: `${METRICS_PREFIX}${scope}_requests_total`,
      help: 'GraphQL requests answered, by operation name (named operations only) and type.',
      labelNames: ['operation', 'type'],
      registers,
    });
    this.duration = new Histogram({
      name: `${METRICS_PREFIX}${scope}_request_duration_seconds`,
      help: 'Time from receiving a GraphQL request to its response, by operation name and type.',
      labelNames: ['operation', 'type'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.errors = new Counter({
      name: `${METRICS_PREFIX}${scope}_errors_total`,
      help: 'Errors in GraphQL responses, by extensions.code.',
      labelNames: ['code'],
      registers,
    });
  }

  /** The `operation` label of an operation name: the name, `anonymous` without one, `other` past the cap. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return ANONYMOUS_OPERATION;
    if (this.names.has(name)) return name;
    if (this.names.size >= this.maxOperationLabels) return OTHER_OPERATIONS;
    this.names.add(name);
    return name;
  }

  record(request: MeasuredRequest): void {
    const labels = { operation: request.operation, type: request.type };
    this.requests.inc(labels);
    this.duration.observe(labels, request.seconds);
    for (const code of request.errorCodes) this.errors.inc({ code });
  }
}

/**
 * Measures every operation Apollo Server runs, from `requestDidStart` to `willSendResponse`, with
 * the errors as sent (after `formatError`).
 */
export function requestMetricsPlugin<TContext extends BaseContext>(metrics: GraphQLRequestMetrics): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      let operation = ANONYMOUS_OPERATION;
      let type: OperationType = 'unknown';
      return {
        async didResolveOperation(requestContext) {
          operation = metrics.operationLabel(requestContext.operationName);
          type = (requestContext.operation?.operation as OperationType | undefined) ?? 'unknown';
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
          metrics.record({ operation, type, seconds: secondsSince(started), errorCodes: errorCodes(errors) });
        },
      };
    },
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Answers a request to `/metrics`: 405 for other methods than GET and HEAD, 401 `UNAUTHENTICATED`
 * without the bearer token when `token` is set, else the registry in Prometheus text format
 * (`text/plain; version=0.0.4`).
 */
export async function serveMetrics(source: MetricsSource, token: string | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const refuse = (status: number, code: string, message: string, headers: Record<string, string>) => {
    const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(405, 'BAD_REQUEST', 'Read /metrics with GET.', { allow: 'GET, HEAD' });
  if (token !== undefined) {
    const given = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    // Digests of equal length, so the comparison takes the same time whatever was sent.
    if (given === undefined || !timingSafeEqual(sha256(given), sha256(token))) {
      return refuse(401, 'UNAUTHENTICATED', 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.', { 'www-authenticate': 'Bearer realm="metrics"' });
    }
  }
  const text = await (source.text ?? (() => metricsText(source)))();
  res.writeHead(200, { 'content-type': source.registry.contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : text);
}

/** How a subgraph's database connections are used right now (see `DatabaseHandle.poolUse`). */
export interface DatabasePoolUse {
  /** Open connections, busy or idle. */
  total: number;
  /** The most connections the pool opens. */
  max: number;
  /** Open connections not running a query; undefined when the driver does not say (PGlite). */
  idle?: number | undefined;
  /** Queries waiting for a connection; undefined when the driver does not say (PGlite). */
  waiting?: number | undefined;
}

/** The subgraph whose request is running: `runOnce` counts its replays there. */
const activeSubgraph = new AsyncLocalStorage<SubgraphMetrics>();

/**
 * Everything one subgraph measures: its requests (`GraphQLRequestMetrics`, scope `subgraph`),
 * mutations answered from the stored result of an earlier call with the same clientMutationId
 * (`mega_subgraph_client_mutation_replays_total{operation}`), and its database pool.
 */
export class SubgraphMetrics implements MetricsSource {
  readonly registry: Registry;
  readonly requests: GraphQLRequestMetrics;
  private readonly replays: Counter<'operation'>;

  constructor(
    readonly service: string,
    options: { poolUse?: (() => DatabasePoolUse) | undefined } = {},
  ) {
    this.registry = createMetricsRegistry(service);
    const registers = [this.registry];
    this.requests = new GraphQLRequestMetrics(this.registry, 'subgraph');
    this.replays = new Counter({
      name: `${METRICS_PREFIX}subgraph_client_mutation_replays_total`,
      help: 'Mutations answered with the stored result of an earlier call with the same clientMutationId (outbox retries), by runOnce operation.',
      labelNames: ['operation'],
      registers,
    });
    const poolUse = options.poolUse;
    if (!poolUse) return;
    const gauge = (name: string, help: string, read: (use: DatabasePoolUse) => number | undefined) => {
      if (read(poolUse()) === undefined) return; // the driver does not report it: no series rather than a made-up 0
      new Gauge({
        name: `${METRICS_PREFIX}subgraph_db_pool_${name}`,
        help,
        registers,
        collect() {
          this.set(read(poolUse()) ?? 0);
        },
      });
    };
    gauge('connections', 'Open database connections, busy or idle (PGlite: its one embedded connection).', (use) => use.total);
    gauge('max_connections', 'The most connections the pool opens (PGlite: 1).', (use) => use.max);
    gauge('idle_connections', 'Open database connections not running a query (PostgreSQL only).', (use) => use.idle);
    gauge('waiting_requests', 'Queries waiting for a free database connection (PostgreSQL only).', (use) => use.waiting);
  }

  /** Runs one request's work so that `countClientMutationReplay` inside it counts here. */
  run<T>(work: () => T): T {
    return activeSubgraph.run(this, work);
  }

  countReplay(operation: string): void {
    this.replays.inc({ operation });
  }
}

/**
 * Counts one mutation answered from its stored result (`runOnce`), on the subgraph whose request
 * is running (none outside a request: a seed, a unit test).
 */
export function countClientMutationReplay(operation: string): void {
  activeSubgraph.getStore()?.countReplay(operation);
}
