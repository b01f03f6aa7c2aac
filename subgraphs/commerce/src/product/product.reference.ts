import type { CommerceContext } from '../context.js';
import { toProduct } from './product.mapper.js';
import type { Product } from './product.type.js';

/** Resolves `Product` representations from other subgraphs, batched into one query per request. */
export async function resolveProductReference(reference: { id: string }, context: CommerceContext): Promise<Product | null> {
  const row = await context.productById.load(reference.id);
  return row ? toProduct(row) : null;
}
