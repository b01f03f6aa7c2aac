import { fileURLToPath } from 'node:url';
import { launchSubgraph, type SubgraphDefinition, type SubgraphStartOptions } from '@mega/subgraph-kit';
import { createContext, type CommerceContext, type CommerceServices } from './context.js';
import { createCommerceEvents, publishOrderStatusChanged } from './events.js';
import { DEFAULT_FULFILMENT_STEP_MS, MAX_FULFILMENT_POLL_MS, startFulfilmentWorker } from './fulfilment/fulfilment-worker.js';
import { buildSchema } from './schema.js';
import { seedCommerce } from './seed.js';
import { CartStore } from './store/cart.store.js';
import { OrderStore } from './store/order.store.js';
import { ProductStore } from './store/product.store.js';
import { tables, type CommerceTables } from './store/tables.js';

/** What a deployment decides about commerce besides the settings of every subgraph. */
export interface CommerceStartOptions extends SubgraphStartOptions {
  /**
   * Delay between two fulfilment steps of an order (PLACED -> PAID -> SHIPPED -> DELIVERED);
   * 0 turns the fulfilment worker off.
   * @default 5000
   */
  fulfilmentStepMs?: number;
  /**
   * Run the fulfilment worker loop in this process. Tests turn it off and call
   * `services.orders.advanceDueOrders(now)` with a fake clock.
   * @default true
   */
  fulfilmentWorker?: boolean;
}

export interface FulfilmentSettings {
  stepMs: number;
  worker: boolean;
}

/** The commerce subgraph for {@link launchSubgraph}. */
export function commerceSubgraph(fulfilment: FulfilmentSettings): SubgraphDefinition<CommerceTables, CommerceServices, CommerceContext> {
  return {
    service: 'commerce',
    tables,
    migrationsFolder: fileURLToPath(new URL('../drizzle', import.meta.url)),
    schema: (services) => buildSchema(services.events),
    services: async (db, _logger, options) => {
      const events = await createCommerceEvents(options.redisUrl);
      return {
        products: new ProductStore(db),
        carts: new CartStore(db),
        orders: new OrderStore(db, { fulfilmentStepMs: fulfilment.stepMs, onStatusChanged: (change) => publishOrderStatusChanged(events, change) }),
        events,
      };
    },
    dispose: (services) => services.events.close(),
    context: createContext,
    seed: seedCommerce,
    background: (services, logger) => {
      if (!fulfilment.worker || fulfilment.stepMs === 0) return async () => undefined;
      return startFulfilmentWorker({
        advanceDueOrders: (now) => services.orders.advanceDueOrders(now),
        pollMs: Math.min(fulfilment.stepMs, MAX_FULFILMENT_POLL_MS),
        logger,
      });
    },
  };
}

/** Starts the commerce subgraph; the handle's `stop()` stops the worker, drains and closes everything. */
export function startCommerce(options: CommerceStartOptions) {
  const stepMs = options.fulfilmentStepMs ?? DEFAULT_FULFILMENT_STEP_MS;
  if (!Number.isInteger(stepMs) || stepMs < 0) throw new Error(`fulfilmentStepMs must be a whole number >= 0; got ${stepMs}.`);
  return launchSubgraph(commerceSubgraph({ stepMs, worker: options.fulfilmentWorker ?? true }), options);
}
