import type { MetricObjectWithValues, MetricValue } from 'prom-client';

/** Series of one worker as prom-client JSON (`Registry.getMetricsAsJSON`). */
export type WorkerMetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/** What a worker tells the primary over the cluster's IPC channel. */
export type WorkerMessage =
  /** The worker listens to the primary's messages (a stop sent before this is sent again). */
  | { mega: 'hello' }
  /** The gateway listens and has its supergraph: the primary may retire the worker it replaces. */
  | { mega: 'ready' }
  /** A scrape of /metrics reached this worker: it asks for the cluster's totals. */
  | { mega: 'metrics-request'; id: number }
  /** This worker's series, for the collection `id` of the primary. */
  | { mega: 'metrics'; id: number; metrics: WorkerMetricsJson };

/** What the primary tells a worker. */
export type PrimaryMessage =
  /** Stop like on SIGTERM; `drain` first (a rolling restart: another worker already serves the port). */
  | { mega: 'stop'; drain: boolean }
  /** Send your series (`metrics`) for collection `id`. */
  | { mega: 'metrics-collect'; id: number }
  /** The cluster's totals as Prometheus text, for the worker's `metrics-request` `id`; `error` when they could not be gathered. */
  | { mega: 'metrics-text'; id: number; text?: string; error?: string };

function isMessage(value: unknown): value is { mega: string } {
  return typeof value === 'object' && value !== null && typeof (value as { mega?: unknown }).mega === 'string';
}

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return isMessage(value);
}

export function isPrimaryMessage(value: unknown): value is PrimaryMessage {
  return isMessage(value);
}
