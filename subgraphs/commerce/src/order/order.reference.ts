import type { CommerceContext } from '../context.js';
import { toOrder } from './order.mapper.js';
import type { Order } from './order.type.js';

/** Resolves `Order` representations; null unless the viewer is the buyer (existence is not revealed). */
export async function resolveOrderReference(reference: { id: string }, context: CommerceContext): Promise<Order | null> {
  const row = await context.orderById.load(reference.id);
  return row && row.buyerId === context.identity.userId ? toOrder(row) : null;
}
