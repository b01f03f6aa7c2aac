import { badUserInput, isUuid, notFound } from '@mega/subgraph-kit';
import { MAX_LINE_QUANTITY } from '../limits.js';

/** A product id from a client; a malformed one names no product. @throws NOT_FOUND */
export function checkProductId(productId: string): string {
  if (!isUuid(productId)) throw notFound('Product');
  return productId;
}

/** @throws BAD_USER_INPUT unless `quantity` is an integer from `min` to {@link MAX_LINE_QUANTITY} */
export function checkQuantity(quantity: number, min: 0 | 1): number {
  if (!Number.isInteger(quantity) || quantity < min || quantity > MAX_LINE_QUANTITY) {
    throw badUserInput(`quantity must be ${min} to ${MAX_LINE_QUANTITY}.`, 'quantity');
  }
  return quantity;
}
