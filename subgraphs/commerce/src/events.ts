import { createEventBus, type EventBus } from '@mega/subgraph-kit';
import type { OrderStatusChange } from './store/order.store.js';

/** An order's status change as published after its commit; `at` is an ISO string (JSON over Redis). */
export type OrderStatusChangedEvent = Omit<OrderStatusChange, 'at'> & { at: string };

/** The commerce topics; each is published per order id. */
export type CommerceEvents = {
  orderStatusChanged: OrderStatusChangedEvent;
};

export type CommerceEventBus = EventBus<CommerceEvents>;

/** The commerce event bus: in process, or over Redis shared by every commerce instance. */
export function createCommerceEvents(redisUrl: string | undefined): Promise<CommerceEventBus> {
  return createEventBus<CommerceEvents>({ redisUrl, keyPrefix: 'mega:commerce:' });
}

/** Announces a committed status change to the subscribers of its order, on every instance. */
export function publishOrderStatusChanged(events: CommerceEventBus, change: OrderStatusChange): void {
  events.publish('orderStatusChanged', change.orderId, { ...change, at: change.at.toISOString() });
}
