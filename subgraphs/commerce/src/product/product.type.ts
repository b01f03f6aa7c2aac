import { connectionTypes } from '@mega/subgraph-kit';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { MediaAsset } from '../media/media-asset.type.js';
import { Money } from '../money/money.type.js';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'Something the shop sells.' })
export class Product {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  description!: string;

  @Field(() => Money, { description: 'The current price of one unit.' })
  price!: Money;

  @Field(() => [MediaAsset], { nullable: 'items', description: 'Product pictures, first one first. An item is null while the media subgraph is unreachable.' })
  images!: (MediaAsset | null)[];

  @Field(() => Int, { description: 'Units available now.' })
  stock!: number;
}

export const { ConnectionType: ProductConnection, EdgeType: ProductEdge } = connectionTypes(Product, 'Product');
