import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { Logger } from '../logger.js';
import { isWorkerMessage, type PrimaryMessage, type WorkerMessage, type WorkerMetricsJson } from './messages.js';

/** Start-up failures in a row of one worker (it exits before it is ready) after which the primary gives up. */
export const DEFAULT_MAX_START_FAILURES = 3;
/** How long a new worker of a rolling restart may take to be ready before the restart is abandoned. */
export const DEFAULT_READY_TIMEOUT_MS = 60_000;
/** How long the primary waits for the workers' series when a scrape asks for the cluster's totals. */
const METRICS_COLLECT_TIMEOUT_MS = 2_000;
/** The restart delay after a crash doubles from this with each crash of the same worker within `CRASH_WINDOW_MS`, up to `MAX_RESTART_DELAY_MS`. */
const FIRST_RESTART_DELAY_MS = 100;
const MAX_RESTART_DELAY_MS = 10_000;
const CRASH_WINDOW_MS = 60_000;

export interface WorkerSupervisorOptions {
  /** How many workers serve the port. */
  workers: number;
  logger: Logger;
  /** How long a worker asked to stop may take (its drain and its stop) before it is killed. */
  stopTimeoutMs: number;
  /** @default DEFAULT_READY_TIMEOUT_MS */
  readyTimeoutMs?: number;
  /** @default DEFAULT_MAX_START_FAILURES */
  maxStartFailures?: number;
}

/** The primary of a gateway cluster: it serves nothing, it keeps `workers` workers serving. */
export interface WorkerSupervisor {
  /**
   * Replaces the workers one at a time: a new one starts, and once it is ready an old one drains
   * and stops, so the port always answers. A call during a restart runs another one after it.
   * @throws when a new worker fails to start (the old ones keep serving)
   */
  rollingRestart(): Promise<void>;
  /** Stops every worker gracefully (killing those that outlast `stopTimeoutMs`). @returns the exit code for the primary: 0 when every worker stopped cleanly */
  stop(): Promise<number>;
  /** Resolves with exit code 1 when the primary gave up: a worker kept failing to start (`maxStartFailures`); the workers are stopped by then. */
  readonly gaveUp: Promise<number>;
}

interface Slot {
  index: number;
  worker: Worker | undefined;
  /** Start-up failures in a row. */
  startFailures: number;
  /** When the slot's workers crashed after being ready, within CRASH_WINDOW_MS. */
  crashes: number[];
  restartTimer?: NodeJS.Timeout | undefined;
}

interface Tracked {
  /** It said hello: messages sent to it now reach it. */
  listening: boolean;
  /** What the primary asked of it: sent again on its hello when asked before. */
  stopRequest?: { drain: boolean } | undefined;
  ready: boolean;
  /** The primary asked it to stop (or it is a new worker of a rolling restart): its exit is no crash. */
  retiring: boolean;
  readyOnce: Promise<void>;
  exit: Promise<{ code: number | null; signal: string | null }>;
}

/** Forks and supervises the workers (this process must be the cluster's primary); each runs main.ts again as a worker. */
export function superviseWorkers(options: WorkerSupervisorOptions): WorkerSupervisor {
  const { logger } = options;
  const maxStartFailures = options.maxStartFailures ?? DEFAULT_MAX_START_FAILURES;
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const tracked = new Map<Worker, Tracked>();
  const slots: Slot[] = Array.from({ length: options.workers }, (_, index) => ({ index, worker: undefined, startFailures: 0, crashes: [] }));
  let stopping: Promise<number> | undefined;
  let restarting: Promise<void> | undefined;
  let restartAgain = false;
  let giveUp!: (code: number) => void;
  const gaveUp = new Promise<number>((resolve) => (giveUp = resolve));
  const collections = new Map<number, { responses: WorkerMetricsJson[]; waiting: Set<Worker>; done: () => void }>();
  let nextCollection = 0;

  const send = (worker: Worker, message: PrimaryMessage) => {
    if (worker.isConnected()) worker.send(message);
  };

  function fork(slot: Slot | undefined): Worker {
    const worker = cluster.fork();
    let markReady!: () => void;
    const state: Tracked = {
      listening: false,
      ready: false,
      retiring: false,
      readyOnce: new Promise<void>((resolve) => (markReady = resolve)),
      exit: new Promise((resolve) => worker.once('exit', (code: number | null, signal: string | null) => resolve({ code, signal }))),
    };
    tracked.set(worker, state);
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      onMessage(worker, message);
      if (message.mega === 'hello') {
        state.listening = true;
        if (state.stopRequest) send(worker, { mega: 'stop', drain: state.stopRequest.drain });
      }
      if (message.mega === 'ready') {
        state.ready = true;
        markReady();
      }
    });
    void state.readyOnce.then(() => {
      const owner = slot ?? slots.find((each) => each.worker === worker);
      if (owner) owner.startFailures = 0;
    });
    worker.once('exit', (code: number | null, signal: string | null) => {
      tracked.delete(worker);
      for (const collection of collections.values()) {
        collection.waiting.delete(worker);
        if (collection.waiting.size === 0) collection.done();
      }
      const owner = slot ?? slots.find((each) => each.worker === worker);
      if (state.retiring || stopping || !owner || owner.worker !== worker) return;
      onCrash(owner, state, { pid: worker.process.pid, code, signal });
    });
    if (slot) slot.worker = worker;
    return worker;
  }

  function onCrash(slot: Slot, state: Tracked, exit: { pid: number | undefined; code: number | null; signal: string | null }): void {
    slot.worker = undefined;
    let delay: number;
    if (!state.ready) {
      slot.startFailures += 1;
      if (slot.startFailures >= maxStartFailures) {
        logger.fatal({ ...exit, startFailures: slot.startFailures }, 'a gateway worker keeps failing to start; stopping the cluster');
        void stop().then(() => giveUp(1));
        return;
      }
      delay = FIRST_RESTART_DELAY_MS * 2 ** (slot.startFailures - 1);
    } else {
      const now = Date.now();
      slot.crashes = [...slot.crashes.filter((at) => now - at < CRASH_WINDOW_MS), now];
      delay = Math.min(FIRST_RESTART_DELAY_MS * 2 ** (slot.crashes.length - 1), MAX_RESTART_DELAY_MS);
    }
    logger.error({ ...exit, restartInMs: delay }, 'gateway worker exited; starting another');
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = undefined;
      if (!stopping) fork(slot);
    }, delay);
  }

  function onMessage(worker: Worker, message: WorkerMessage): void {
    switch (message.mega) {
      case 'hello':
      case 'ready':
        return;
      case 'metrics': {
        const collection = collections.get(message.id);
        if (!collection?.waiting.delete(worker)) return;
        collection.responses.push(message.metrics);
        if (collection.waiting.size === 0) collection.done();
        return;
      }
      case 'metrics-request':
        clusterMetrics().then(
          (text) => send(worker, { mega: 'metrics-text', id: message.id, text }),
          (error: unknown) => send(worker, { mega: 'metrics-text', id: message.id, error: (error as Error).message }),
        );
        return;
    }
  }

  /** Every listening worker's series, aggregated (counters and histograms summed, gauges as prom-client's `aggregator` says); a worker that does not answer within METRICS_COLLECT_TIMEOUT_MS is left out. */
  async function clusterMetrics(): Promise<string> {
    const id = nextCollection++;
    const waiting = new Set([...tracked].filter(([worker, state]) => state.listening && worker.isConnected()).map(([worker]) => worker));
    const responses: WorkerMetricsJson[] = [];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, METRICS_COLLECT_TIMEOUT_MS);
      collections.set(id, {
        responses,
        waiting,
        done: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      if (waiting.size === 0) resolve();
      for (const worker of waiting) send(worker, { mega: 'metrics-collect', id });
    });
    collections.delete(id);
    return AggregatorRegistry.aggregate(responses).metrics();
  }

  /** Asks `worker` to stop (after draining with `drain`), kills it after `stopTimeoutMs`; resolves once it exited, true when cleanly. */
  async function retire(worker: Worker, drain: boolean): Promise<boolean> {
    const state = tracked.get(worker);
    if (!state) return true;
    state.retiring = true;
    state.stopRequest = { drain };
    if (!worker.isConnected()) worker.process.kill('SIGTERM');
    else if (state.listening) send(worker, { mega: 'stop', drain });
    const timer = setTimeout(() => {
      logger.warn({ pid: worker.process.pid }, 'gateway worker did not stop in time; killing it');
      worker.process.kill('SIGKILL');
    }, options.stopTimeoutMs);
    const { code, signal } = await state.exit;
    clearTimeout(timer);
    return code === 0 && signal === null;
  }

  async function replaceAll(): Promise<void> {
    for (const slot of slots) {
      if (stopping) return;
      const worker = fork(undefined);
      const state = tracked.get(worker)!;
      state.retiring = true; // not the slot's worker until it is ready: failing to start ends the restart, not the cluster
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        state.readyOnce.then(() => 'ready' as const),
        state.exit.then(() => 'exited' as const),
        new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), readyTimeoutMs))),
      ]);
      clearTimeout(timer);
      if (outcome !== 'ready') {
        if (outcome === 'timeout') await retire(worker, false);
        if (stopping) return;
        throw new Error(outcome === 'timeout' ? `a new gateway worker was not ready within ${readyTimeoutMs} ms` : 'a new gateway worker exited before it was ready');
      }
      if (stopping) return;
      state.retiring = false;
      const old = slot.worker;
      slot.worker = worker;
      clearTimeout(slot.restartTimer);
      slot.restartTimer = undefined;
      if (old) await retire(old, true);
      logger.info({ worker: worker.id, replaced: old?.id }, 'gateway worker replaced');
    }
  }

  function rollingRestart(): Promise<void> {
    if (stopping) return Promise.resolve();
    if (restarting) {
      restartAgain = true;
      return restarting;
    }
    logger.info({ workers: slots.length }, 'rolling restart of the gateway workers');
    restarting = (async () => {
      try {
        do {
          restartAgain = false;
          await replaceAll();
        } while (restartAgain && !stopping);
        logger.info('rolling restart done');
      } finally {
        restarting = undefined;
      }
    })();
    return restarting;
  }

  function stop(): Promise<number> {
    stopping ??= (async () => {
      for (const slot of slots) clearTimeout(slot.restartTimer);
      const results = await Promise.all([...tracked.keys()].map((worker) => retire(worker, false)));
      return results.every(Boolean) ? 0 : 1;
    })();
    return stopping;
  }

  const first = slots.map((slot) => tracked.get(fork(slot))!.readyOnce);
  void Promise.all(first).then(() => {
    if (!stopping) logger.info({ workers: slots.length }, 'gateway workers ready');
  });

  return { rollingRestart, stop, gaveUp };
}
