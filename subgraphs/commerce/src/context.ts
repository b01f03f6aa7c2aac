import DataLoader from 'dataloader';
import type { BaseContext, Identity } from '@mega/subgraph-kit';
import type { CommerceEventBus } from './events.js';
import type { CartStore } from './store/cart.store.js';
import type { OrderItemRow, OrderRow, OrderStore } from './store/order.store.js';
import type { ProductRow, ProductStore } from './store/product.store.js';

/** Long-lived parts shared by all requests. */
export interface CommerceServices {
  products: ProductStore;
  carts: CartStore;
  orders: OrderStore;
  /** Order status changes, shared by every commerce instance when Redis is configured. */
  events: CommerceEventBus;
}

export interface CommerceContext extends BaseContext, CommerceServices {
  /** Batches product look-ups within one request (references, order items). */
  productById: DataLoader<string, ProductRow | undefined>;
  /** Batches order look-ups within one request (references, `order(id)`). */
  orderById: DataLoader<string, OrderRow | undefined>;
  /** Batches the lines of all orders on a page into one query. */
  orderItemsByOrderId: DataLoader<string, OrderItemRow[]>;
}

export function createContext(services: CommerceServices, identity: Identity): CommerceContext {
  return {
    ...services,
    identity,
    productById: new DataLoader((ids: readonly string[]) => services.products.byIds(ids)),
    orderById: new DataLoader((ids: readonly string[]) => services.orders.byIds(ids)),
    orderItemsByOrderId: new DataLoader((ids: readonly string[]) => services.orders.itemsOf(ids)),
  };
}
