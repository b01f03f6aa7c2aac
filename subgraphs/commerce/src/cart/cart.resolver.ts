import { requireViewer } from '@mega/subgraph-kit';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { CommerceContext } from '../context.js';
import { MAX_LINE_QUANTITY } from '../limits.js';
import { toCart } from './cart.mapper.js';
import { Cart } from './cart.type.js';
import { checkProductId, checkQuantity } from './validation.js';

async function loadCart(context: CommerceContext, userId: string): Promise<Cart> {
  return toCart(await context.carts.view(userId));
}

@Resolver(() => Cart)
export class CartResolver {
  @Query(() => Cart, { nullable: true, description: "The signed-in user's cart (empty, version 0, before the first cart mutation)." })
  cart(@Ctx() context: CommerceContext): Promise<Cart> {
    return loadCart(context, requireViewer(context));
  }

  @Mutation(() => Cart, {
    description:
      'Adds units of a product to the cart. NOT_FOUND for an unknown product; CONFLICT when the line would exceed the stock. ' +
      'A retry with the same clientMutationId adds nothing more.',
  })
  async addToCart(
    @Arg('productId', () => ID) productId: string,
    @Arg('quantity', () => Int, { defaultValue: 1, description: `1 to ${MAX_LINE_QUANTITY}; the line holds at most ${MAX_LINE_QUANTITY}.` })
    quantity: number,
    @Arg('clientMutationId', () => String, { nullable: true }) clientMutationId: string | null,
    @Ctx() context: CommerceContext,
  ): Promise<Cart> {
    const userId = requireViewer(context);
    await context.carts.add({ userId, productId: checkProductId(productId), quantity: checkQuantity(quantity, 1), clientMutationId });
    return loadCart(context, userId);
  }

  @Mutation(() => Cart, {
    description:
      "Sets a product's quantity in the cart; 0 removes it. With expectedVersion, CONFLICT (extensions.currentVersion) when the cart has changed since.",
  })
  async updateCartItem(
    @Arg('productId', () => ID) productId: string,
    @Arg('quantity', () => Int, { description: `0 to ${MAX_LINE_QUANTITY}.` }) quantity: number,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion: number | null,
    @Ctx() context: CommerceContext,
  ): Promise<Cart> {
    const userId = requireViewer(context);
    await context.carts.setQuantity({ userId, productId: checkProductId(productId), quantity: checkQuantity(quantity, 0), expectedVersion });
    return loadCart(context, userId);
  }

  @Mutation(() => Cart, { description: 'Removes a product from the cart.' })
  async removeFromCart(@Arg('productId', () => ID) productId: string, @Ctx() context: CommerceContext): Promise<Cart> {
    const userId = requireViewer(context);
    await context.carts.remove({ userId, productId: checkProductId(productId) });
    return loadCart(context, userId);
  }
}
