import type { Logger } from '@mega/subgraph-kit';
import type { OrderStatusChange } from '../store/order.store.js';

/** Delay between two fulfilment steps of an order (the simulated payment provider and carrier). */
export const DEFAULT_FULFILMENT_STEP_MS = 5000;
/** Longest pause between two scans for due orders. */
export const MAX_FULFILMENT_POLL_MS = 1000;

export interface FulfilmentWorkerOptions {
  /** Advances the orders due at `now`: `OrderStore.advanceDueOrders` outside tests. */
  advanceDueOrders: (now: Date) => Promise<OrderStatusChange[]>;
  /** Pause between the end of one scan and the start of the next. */
  pollMs: number;
  logger: Logger;
  /** @default () => new Date() */
  clock?: () => Date;
}

/**
 * Scans for due orders every `pollMs` until stopped. One scan runs at a time; a failed scan is
 * logged and the next one tries again. Safe to run in every instance (see advanceDueOrders).
 * @returns stop: cancels the pending timer and resolves once a scan in progress has finished
 */
export function startFulfilmentWorker(options: FulfilmentWorkerOptions): () => Promise<void> {
  const { logger, pollMs } = options;
  const clock = options.clock ?? (() => new Date());
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let scanning: Promise<void> | undefined;

  const scan = async () => {
    try {
      const changes = await options.advanceDueOrders(clock());
      for (const change of changes) logger.debug(change, 'order status changed');
    } catch (error) {
      logger.error({ err: error }, 'fulfilment scan failed');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      scanning = scan().finally(() => {
        scanning = undefined;
        schedule();
      });
    }, pollMs);
    // Never the reason a process stays alive; stop() is still what ends the loop.
    timer.unref();
  };
  schedule();

  return async () => {
    stopped = true;
    clearTimeout(timer);
    timer = undefined;
    await scanning;
  };
}
