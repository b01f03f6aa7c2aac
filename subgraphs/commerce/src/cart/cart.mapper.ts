import { DEFAULT_CURRENCY } from '../limits.js';
import { toMoney } from '../money/money.mapper.js';
import { toProduct } from '../product/product.mapper.js';
import type { CartView } from '../store/cart.store.js';
import type { Cart } from './cart.type.js';

export function toCart(view: CartView): Cart {
  const currency = view.lines[0]?.product.currency ?? DEFAULT_CURRENCY;
  let totalCents = 0;
  let itemCount = 0;
  const items = view.lines.map(({ product, quantity }) => {
    const lineCents = product.priceCents * quantity;
    totalCents += lineCents;
    itemCount += quantity;
    return { product: toProduct(product), quantity, lineTotal: toMoney(lineCents, product.currency) };
  });
  return { items, total: toMoney(totalCents, currency), version: view.version, itemCount };
}
