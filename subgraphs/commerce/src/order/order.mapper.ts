import { toMoney } from '../money/money.mapper.js';
import type { OrderItemRow, OrderRow } from '../store/order.store.js';
import type { Order, OrderItem } from './order.type.js';

export function toOrder(row: OrderRow): Order {
  return { id: row.id, total: toMoney(row.totalCents, row.currency), status: row.status, placedAt: row.placedAt, buyerId: row.buyerId };
}

export function toOrderItem(row: OrderItemRow, currency: string): OrderItem {
  return {
    productId: row.productId,
    quantity: row.quantity,
    unitPrice: toMoney(row.unitPriceCents, currency),
    lineTotal: toMoney(row.unitPriceCents * row.quantity, currency),
  };
}
