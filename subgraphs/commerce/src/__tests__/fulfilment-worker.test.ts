import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@mega/subgraph-kit';
import { startFulfilmentWorker } from '../fulfilment/fulfilment-worker.js';
import type { OrderStatusChange } from '../store/order.store.js';

describe('fulfilment worker loop', () => {
  const logger = createLogger('commerce', 'silent');
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('scans once per poll interval with the time of its clock', async () => {
    const scans: Date[] = [];
    const stop = startFulfilmentWorker({
      advanceDueOrders: async (now) => {
        scans.push(now);
        return [];
      },
      pollMs: 100,
      logger,
      clock: () => new Date(1_000 * (scans.length + 1)),
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(scans).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(scans.map((date) => date.getTime())).toEqual([1000, 2000]);
    await stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps scanning after a failed scan', async () => {
    let calls = 0;
    const stop = startFulfilmentWorker({
      advanceDueOrders: async () => {
        calls += 1;
        if (calls === 1) throw new Error('database restarting');
        return [];
      },
      pollMs: 10,
      logger,
    });
    await vi.advanceTimersByTimeAsync(30);
    expect(calls).toBe(3);
    await stop();
  });

  it('waits for a scan in progress when stopped and leaves no timer behind', async () => {
    let finish: (changes: OrderStatusChange[]) => void = () => undefined;
    const stop = startFulfilmentWorker({
      advanceDueOrders: () => new Promise((resolve) => (finish = resolve)),
      pollMs: 10,
      logger,
    });
    await vi.advanceTimersByTimeAsync(10);
    let stopped = false;
    const stopping = stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(50);
    expect(stopped).toBe(false);
    finish([]);
    await stopping;
    expect(stopped).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
