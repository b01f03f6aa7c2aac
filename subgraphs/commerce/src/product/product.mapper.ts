import { toMoney } from '../money/money.mapper.js';
import type { ProductRow } from '../store/product.store.js';
import type { Product } from './product.type.js';

export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    price: toMoney(row.priceCents, row.currency),
    images: row.imageIds.map((id) => ({ id })),
    stock: row.stock,
  };
}
