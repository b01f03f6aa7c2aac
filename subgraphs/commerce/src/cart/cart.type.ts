import { Field, Int, ObjectType } from 'type-graphql';
import { Money } from '../money/money.type.js';
import { Product } from '../product/product.type.js';

@ObjectType({ description: 'One product in a cart.' })
export class CartItem {
  @Field(() => Product)
  product!: Product;

  @Field(() => Int, { description: '1 to 99.' })
  quantity!: number;

  @Field(() => Money, { description: 'The current unit price times the quantity.' })
  lineTotal!: Money;
}

@ObjectType({ description: "The signed-in user's shopping cart, priced at the current prices." })
export class Cart {
  @Field(() => [CartItem], { description: 'In the order they were added.' })
  items!: CartItem[];

  @Field(() => Money)
  total!: Money;

  @Field(() => Int, {
    description: 'Bumped by every cart mutation; pass it as updateCartItem(expectedVersion:) to refuse stale edits.',
  })
  version!: number;

  @Field(() => Int, { description: 'The number of units in the cart (the sum of the quantities).' })
  itemCount!: number;
}
