import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ANONYMOUS_OPERATION,
  createMetricsRegistry,
  DURATION_BUCKETS,
  errorCodes,
  GraphQLRequestMetrics,
  METRICS_PREFIX,
  metricsJson,
  secondsSince,
  serveMetrics,
  type MetricsOptions,
  type OperationType,
} from '@mega/subgraph-kit/metrics';
import { Counter, Gauge, Histogram, type MetricObjectWithValues, type MetricValue, type Registry } from 'prom-client';
import type { GatewayContext } from '../context.js';
import type { GatewayPlugin } from './plugin.js';

/** Why a subgraph fetch failed, as the `reason` label of `mega_gateway_subgraph_fetch_failures_total`. */
export type SubgraphFetchFailure = 'timeout' | 'network' | 'http_4xx' | 'http_5xx' | 'bad_response';

/** What the upstream data sources report about each fetch to a subgraph. */
export interface SubgraphFetchMetrics {
  /** One fetch to `subgraph` took `seconds`, answered or not. */
  observe(subgraph: string, seconds: number): void;
  /** One fetch to `subgraph` failed (no usable answer). */
  fail(subgraph: string, reason: SubgraphFetchFailure): void;
}

/** What `/metrics` reads about the WebSocket endpoint at each scrape. */
export interface WebSocketUse {
  /** Open graphql-ws connections. */
  readonly connections: number;
  /** Live subscriptions over them. */
  readonly subscriptions: number;
}

/** How the metrics of one cluster worker meet those of the others (implemented in `cluster/worker.ts`). */
export interface ClusterMetrics {
  /** Called once with this process's series as prom-client JSON: what it adds to the cluster's totals. */
  contribute(local: () => Promise<MetricObjectWithValues<MetricValue<string>>[]>): void;
  /** The whole cluster's series (every worker's, aggregated by the primary) as Prometheus text. */
  text(): Promise<string>;
}

export interface GatewayMetricsOptions extends MetricsOptions {
  /** The WebSocket endpoint, read at each scrape; undefined: none (gauges at 0). */
  webSockets?: () => WebSocketUse | undefined;
  /** In a cluster worker: `/metrics` serves the cluster's totals. @default this process's series only */
  cluster?: ClusterMetrics | undefined;
}

/** The metrics plugin: an Apollo hook plus what the gateway's HTTP layer and data sources call. */
export interface GatewayMetrics extends GatewayPlugin {
  /** The gateway's own series (Node's default metrics are added to each scrape, see `metricsText`). */
  readonly registry: Registry;
  readonly subgraphFetches: SubgraphFetchMetrics;
  /** One lookup of a query plan by @apollo/gateway: found in the cache (warmed or planned before) or not (planned now). */
  queryPlanLookup(hit: boolean): void;
  /** Measures one request to /graphql, from now until its response closes. Call once per request, first. */
  track(context: GatewayContext, res: ServerResponse): void;
  /** The /graphql request answered by `res` was refused at the edge with `code` (no operation ran); other paths are not counted. */
  countEdgeError(res: ServerResponse, code: string): void;
  /** Answers `GET /metrics` (with the bearer token, when one is set). */
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

interface TrackedRequest {
  started: number;
  operation: string;
  type: OperationType;
  errorCodes: string[];
}

/**
 * Metrics of the gateway on its own registry (`createMetricsRegistry('gateway')`): every request to
 * /graphql with its latency and the codes of the errors it answered (edge refusals included),
 * each fetch to a subgraph, and the open WebSocket connections and subscriptions. The README's
 * Metrics section lists each series.
 */
export function useMetrics(options: GatewayMetricsOptions = {}): GatewayMetrics {
  const service = 'gateway';
  const registry = createMetricsRegistry(service);
  const registers = [registry];
  const requests = new GraphQLRequestMetrics(registry, 'gateway');
  const fetchDuration = new Histogram({
    name: `${METRICS_PREFIX}gateway_subgraph_fetch_duration_seconds`,
    help: 'Time of each fetch from the gateway to a subgraph (query plan steps, subscription events), failed ones included.',
    labelNames: ['subgraph'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const fetchFailures = new Counter({
    name: `${METRICS_PREFIX}gateway_subgraph_fetch_failures_total`,
    help: 'Fetches to a subgraph without a usable answer, by reason: timeout, network, http_4xx, http_5xx, bad_response.',
    labelNames: ['subgraph', 'reason'],
    registers,
  });
  const planLookups = new Counter({
    name: `${METRICS_PREFIX}gateway_query_plan_cache_lookups_total`,
    help: 'Query plans looked up for HTTP operations, by result: hit (warmed from the persisted documents or planned before) or miss (planned for this request).',
    labelNames: ['result'],
    registers,
  });
  new Gauge({
    name: `${METRICS_PREFIX}gateway_websocket_connections`,
    help: 'Open graphql-ws connections of clients.',
    registers,
    collect() {
      this.set(options.webSockets?.()?.connections ?? 0);
    },
  });
  new Gauge({
    name: `${METRICS_PREFIX}gateway_subscriptions`,
    help: 'Live subscriptions of clients over graphql-ws.',
    registers,
    collect() {
      this.set(options.webSockets?.()?.subscriptions ?? 0);
    },
  });

  const cluster = options.cluster;
  cluster?.contribute(() => metricsJson({ registry, service }));

  // By request id: Apollo Server runs each operation on a shallow copy of the context.
  const byRequestId = new Map<string, TrackedRequest>();
  const byResponse = new WeakMap<ServerResponse, TrackedRequest>();

  return {
    name: 'metrics',
    registry,
    subgraphFetches: {
      observe: (subgraph, seconds) => fetchDuration.observe({ subgraph }, seconds),
      fail: (subgraph, reason) => fetchFailures.inc({ subgraph, reason }),
    },
    queryPlanLookup: (hit) => planLookups.inc({ result: hit ? 'hit' : 'miss' }),
    track(context, res) {
      const tracked: TrackedRequest = { started: performance.now(), operation: ANONYMOUS_OPERATION, type: 'unknown', errorCodes: [] };
      byRequestId.set(context.requestId, tracked);
      byResponse.set(res, tracked);
      // 'close' comes after the response was sent, and also when the client went away.
      res.once('close', () => {
        byRequestId.delete(context.requestId);
        requests.record({ ...tracked, seconds: secondsSince(tracked.started) });
      });
    },
    countEdgeError(res, code) {
      byResponse.get(res)?.errorCodes.push(code);
    },
    serve: (req, res) => serveMetrics({ registry, service, text: cluster && (() => cluster.text()) }, options.token, req, res),
    apollo: {
      async requestDidStart({ contextValue }) {
        const tracked = byRequestId.get(contextValue.requestId);
        if (!tracked) return;
        return {
          async didResolveOperation({ operationName, operation }) {
            tracked.operation = requests.operationLabel(operationName);
            tracked.type = (operation?.operation as OperationType | undefined) ?? 'unknown';
          },
          async willSendResponse({ response }) {
            const errors = response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
            tracked.errorCodes.push(...errorCodes(errors));
          },
        };
      },
    },
  };
}
