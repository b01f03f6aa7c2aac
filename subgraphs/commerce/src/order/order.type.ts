import { connectionTypes } from '@mega/subgraph-kit';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Money } from '../money/money.type.js';
import type { OrderStatusValue } from '../store/tables.js';

export const OrderStatus = {
  PLACED: 'PLACED',
  PAID: 'PAID',
  SHIPPED: 'SHIPPED',
  DELIVERED: 'DELIVERED',
  CANCELLED: 'CANCELLED',
} as const satisfies Record<OrderStatusValue, OrderStatusValue>;
export type OrderStatus = OrderStatusValue;

registerEnumType(OrderStatus, {
  name: 'OrderStatus',
  description: 'PLACED -> PAID -> SHIPPED -> DELIVERED as the order is fulfilled; CANCELLED by the buyer while PLACED or PAID.',
});

@ObjectType({ description: 'One product in an order, at the price it was bought for.' })
export class OrderItem {
  /** Resolved to `product` through the per-request loader. */
  productId!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Money, { description: 'The price of one unit when the order was placed.' })
  unitPrice!: Money;

  @Field(() => Money)
  lineTotal!: Money;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: "A checked-out cart; visible to its buyer only." })
export class Order {
  @Field(() => ID)
  id!: string;

  @Field(() => Money)
  total!: Money;

  @Field(() => OrderStatus)
  status!: OrderStatus;

  @Field(() => Date)
  placedAt!: Date;

  /** Resolved to `buyer` (a User reference). */
  buyerId!: string;
}

export const { ConnectionType: OrderConnection, EdgeType: OrderEdge } = connectionTypes(Order, 'Order');
