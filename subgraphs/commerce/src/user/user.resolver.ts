import { forbidden, pageSize, toConnection, type Connection } from '@mega/subgraph-kit';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { toCart } from '../cart/cart.mapper.js';
import { Cart } from '../cart/cart.type.js';
import type { CommerceContext } from '../context.js';
import { toOrder } from '../order/order.mapper.js';
import { type Order, OrderConnection } from '../order/order.type.js';
import { decodeOrderCursor } from '../order/validation.js';
import { User } from './user.type.js';

/** Carts and orders are private: only the user themself may read them. */
function requireSelf(user: User, context: CommerceContext): string {
  if (context.identity.userId !== user.id) throw forbidden("You may only see your own cart and orders.");
  return user.id;
}

@Resolver(() => User)
export class UserResolver {
  @FieldResolver(() => Cart, { nullable: true, description: "The user's cart; FORBIDDEN for anyone but the user." })
  async cart(@Root() user: User, @Ctx() context: CommerceContext): Promise<Cart> {
    return toCart(await context.carts.view(requireSelf(user, context)));
  }

  @FieldResolver(() => OrderConnection, { nullable: true, description: "The user's orders, newest first; FORBIDDEN for anyone but the user." })
  async orders(
    @Root() user: User,
    @Arg('first', () => Int, { nullable: true, description: '1 to 100. @default 20' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: CommerceContext,
  ): Promise<Connection<Order>> {
    const buyerId = requireSelf(user, context);
    const size = pageSize(first);
    const cursor = decodeOrderCursor(after);
    const rows = await context.orders.pageForBuyer(buyerId, { after: cursor, limit: size + 1 });
    for (const row of rows) context.orderById.prime(row.id, row);
    return toConnection(rows.map(toOrder), size, (order) => [order.placedAt.toISOString(), order.id], cursor !== null);
  }
}
