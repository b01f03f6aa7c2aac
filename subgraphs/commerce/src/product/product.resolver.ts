import { pageSize, toConnection, type Connection } from '@mega/subgraph-kit';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { CommerceContext } from '../context.js';
import { MAX_SEARCH_LENGTH } from '../limits.js';
import { toProduct } from './product.mapper.js';
import { Product, ProductConnection } from './product.type.js';
import { checkSearch, decodeProductCursor } from './validation.js';

@Resolver(() => Product)
export class ProductResolver {
  @Query(() => ProductConnection, { nullable: true, description: 'The catalogue by title; anyone may browse it.' })
  async products(
    @Arg('first', () => Int, { nullable: true, description: '1 to 100. @default 20' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('search', () => String, {
      nullable: true,
      description: `Case-insensitive text in the title or description; at most ${MAX_SEARCH_LENGTH} characters.`,
    })
    search: string | null,
    @Ctx() context: CommerceContext,
  ): Promise<Connection<Product>> {
    const size = pageSize(first);
    const cursor = decodeProductCursor(after);
    const rows = await context.products.page({ search: checkSearch(search), after: cursor, limit: size + 1 });
    for (const row of rows) context.productById.prime(row.id, row);
    return toConnection(
      rows.map(toProduct),
      size,
      (product) => [product.title, product.id],
      cursor !== null,
    );
  }

  @Query(() => Product, { nullable: true, description: 'A product by id; null when there is none.' })
  async product(@Arg('id', () => ID) id: string, @Ctx() context: CommerceContext): Promise<Product | null> {
    const row = await context.productById.load(id);
    return row ? toProduct(row) : null;
  }
}
