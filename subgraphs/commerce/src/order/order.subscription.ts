import { endingWith, isUuid, notFound, requireViewer, type EventStream } from '@mega/subgraph-kit';
import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { CommerceContext } from '../context.js';
import type { OrderStatusChangedEvent } from '../events.js';
import type { OrderStatusValue } from '../store/tables.js';
import { toOrder } from './order.mapper.js';
import { Order } from './order.type.js';

/** How far along each status is; an order only moves forward. DELIVERED and CANCELLED are final. */
const PROGRESS: Record<OrderStatusValue, number> = { PLACED: 0, PAID: 1, SHIPPED: 2, DELIVERED: 3, CANCELLED: 4 };
const FINAL: readonly OrderStatusValue[] = ['DELIVERED', 'CANCELLED'];

/** The buyer's order as stored now. @throws NOT_FOUND for anyone but its buyer */
async function ownOrder(context: CommerceContext, orderId: string, viewerId: string) {
  const [row] = await context.orders.byIds([orderId]);
  if (!row || row.buyerId !== viewerId) throw notFound('Order');
  return row;
}

async function* statuses(context: CommerceContext, viewerId: string, orderId: string, stream: EventStream<OrderStatusChangedEvent>): AsyncGenerator<Order> {
  // Read after the listener is live: a change committed later arrives as an event.
  const current = await ownOrder(context, orderId, viewerId);
  let status = current.status;
  yield toOrder(current);
  if (FINAL.includes(status)) return;
  for await (const event of stream) {
    // Changes already shown (by the first read, or twice) have no higher progress.
    if (PROGRESS[event.to] <= PROGRESS[status]) continue;
    const row = await ownOrder(context, orderId, viewerId);
    status = event.to;
    yield { ...toOrder(row), status };
    if (FINAL.includes(status)) return;
  }
}

@Resolver(() => Order)
export class OrderSubscriptionResolver {
  @Subscription(() => Order, {
    description:
      "The buyer's order: first as it is now, then at each status change, each status at most once and in order; " +
      'completes after DELIVERED or CANCELLED. NOT_FOUND for anyone but the buyer.',
    subscribe: async ({ args, context }) => {
      const commerce = context as CommerceContext;
      const viewerId = requireViewer(commerce);
      const { orderId } = args as { orderId: string };
      if (!isUuid(orderId)) throw notFound('Order');
      const id = orderId.toLowerCase();
      await ownOrder(commerce, id, viewerId);
      const stream = await commerce.events.listen('orderStatusChanged', id);
      return endingWith(statuses(commerce, viewerId, id, stream), stream);
    },
  })
  orderStatusChanged(@Root() order: Order, @Arg('orderId', () => ID) _orderId: string): Order {
    return order;
  }
}
