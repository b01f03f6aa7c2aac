import { notFound, requireViewer } from '@mega/subgraph-kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CommerceContext } from '../context.js';
import { Product } from '../product/product.type.js';
import { toProduct } from '../product/product.mapper.js';
import { User } from '../user/user.type.js';
import { toOrder, toOrderItem } from './order.mapper.js';
import { Order, OrderItem } from './order.type.js';

async function loadOwnOrder(context: CommerceContext, orderId: string, viewerId: string): Promise<Order | null> {
  const row = await context.orderById.load(orderId);
  return row && row.buyerId === viewerId ? toOrder(row) : null;
}

@Resolver(() => Order)
export class OrderResolver {
  @Query(() => Order, { nullable: true, description: "One of the signed-in user's orders; null for anyone else's or an unknown id." })
  order(@Arg('id', () => ID) id: string, @Ctx() context: CommerceContext): Promise<Order | null> {
    return loadOwnOrder(context, id, requireViewer(context));
  }

  @Mutation(() => Order, {
    description:
      'Buys everything in the cart at the current prices and empties the cart, all or nothing. BAD_USER_INPUT for an empty cart; ' +
      'CONFLICT naming the product when the stock is short. A retry with the same clientMutationId returns the same order.',
  })
  async checkout(@Arg('clientMutationId', () => String) clientMutationId: string, @Ctx() context: CommerceContext): Promise<Order> {
    const buyerId = requireViewer(context);
    const { orderId } = await context.orders.checkout({ buyerId, clientMutationId });
    const order = await loadOwnOrder(context, orderId, buyerId);
    if (!order) throw notFound('Order');
    return order;
  }

  @Mutation(() => Order, {
    description: 'Cancels an order while it is PLACED or PAID and puts its items back in stock (CONFLICT later on). Buyer only.',
  })
  async cancelOrder(@Arg('orderId', () => ID) orderId: string, @Ctx() context: CommerceContext): Promise<Order> {
    const row = await context.orders.cancel({ buyerId: requireViewer(context), orderId });
    if (!row) throw notFound('Order');
    context.orderById.clear(row.id).prime(row.id, row);
    return toOrder(row);
  }

  @FieldResolver(() => [OrderItem])
  async items(@Root() order: Order, @Ctx() context: CommerceContext): Promise<OrderItem[]> {
    const rows = await context.orderItemsByOrderId.load(order.id);
    return rows.map((row) => toOrderItem(row, order.total.currency));
  }

  @FieldResolver(() => User, { nullable: true, description: 'Null only while the accounts subgraph is unreachable.' })
  buyer(@Root() order: Order): User {
    return { id: order.buyerId };
  }
}

@Resolver(() => OrderItem)
export class OrderItemResolver {
  @FieldResolver(() => Product, { description: 'The product as it is now (its title or price may have changed since).' })
  async product(@Root() item: OrderItem, @Ctx() context: CommerceContext): Promise<Product> {
    const row = await context.productById.load(item.productId);
    if (!row) throw notFound('Product');
    return toProduct(row);
  }
}
