import type { ClusterMetrics } from '../plugins/metrics.js';
import { isPrimaryMessage, type PrimaryMessage, type WorkerMessage, type WorkerMetricsJson } from './messages.js';

/** How long a worker waits for the cluster's totals before its scrape fails. */
export const CLUSTER_METRICS_TIMEOUT_MS = 5_000;

/** A cluster worker's side of the IPC channel to the primary (`primary.ts`). */
export interface PrimaryLink {
  /** For the metrics plugin: `/metrics` on this worker serves the whole cluster's totals. */
  readonly metrics: ClusterMetrics;
  /** Tells the primary this worker serves (listening, supergraph loaded). */
  ready(): void;
  /** `handler` runs when the primary asks this worker to stop; `drain`: hand the clients over first (rolling restart). */
  onStop(handler: (drain: boolean) => void): void;
}

/** Connects this process, a `node:cluster` worker, to its primary. */
export function connectToPrimary(): PrimaryLink {
  const send = (message: WorkerMessage) => {
    if (process.connected) process.send?.(message);
  };
  let local: (() => Promise<WorkerMetricsJson>) | undefined;
  let stopHandler: ((drain: boolean) => void) | undefined;
  /** A stop that came before `onStop`: honoured as soon as there is a handler. */
  let stopRequested: { drain: boolean } | undefined;
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  let nextId = 0;

  process.on('message', (message: unknown) => {
    if (!isPrimaryMessage(message)) return;
    handle(message);
  });
  send({ mega: 'hello' });

  function handle(message: PrimaryMessage): void {
    switch (message.mega) {
      case 'stop':
        if (stopHandler) stopHandler(message.drain);
        else stopRequested = { drain: message.drain };
        return;
      case 'metrics-collect':
        void (local?.() ?? Promise.resolve([])).then(
          (metrics) => send({ mega: 'metrics', id: message.id, metrics }),
          () => send({ mega: 'metrics', id: message.id, metrics: [] }),
        );
        return;
      case 'metrics-text': {
        const request = pending.get(message.id);
        pending.delete(message.id);
        if (message.text !== undefined) request?.resolve(message.text);
        else request?.reject(new Error(`The cluster's metrics could not be gathered: ${message.error ?? 'no answer'}`));
        return;
      }
    }
  }

  return {
    metrics: {
      contribute(collect) {
        local = collect;
      },
      text() {
        const id = nextId++;
        return new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => {
            pending.delete(id);
            reject(new Error(`The primary did not send the cluster's metrics within ${CLUSTER_METRICS_TIMEOUT_MS} ms`));
          }, CLUSTER_METRICS_TIMEOUT_MS);
          const settle = <T>(fn: (value: T) => void) => (value: T) => {
            clearTimeout(timer);
            fn(value);
          };
          pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
          send({ mega: 'metrics-request', id });
        });
      },
    },
    ready: () => send({ mega: 'ready' }),
    onStop(handler) {
      stopHandler = handler;
      if (stopRequested) handler(stopRequested.drain);
    },
  };
}
