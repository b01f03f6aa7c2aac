import type { OrderStatus } from './gql/graphql';

/** The steps of fulfilment in order; CANCELLED is not one of them. */
export const FULFILMENT_STEPS = ['PLACED', 'PAID', 'SHIPPED', 'DELIVERED'] as const satisfies readonly OrderStatus[];

export const ORDER_STATUS_LABEL: Record<OrderStatus, string> = {
  PLACED: 'Placed',
  PAID: 'Paid',
  SHIPPED: 'Shipped',
  DELIVERED: 'Delivered',
  CANCELLED: 'Cancelled',
};

/** After these an order changes no more (its status subscription completes). */
export const isFinalStatus = (status: OrderStatus): boolean => status === 'DELIVERED' || status === 'CANCELLED';

/** The buyer may cancel while the order is neither shipped nor over. */
export const isCancellable = (status: OrderStatus): boolean => status === 'PLACED' || status === 'PAID';

/** A date and time for people, in their locale. */
export function formatPlacedAt(placedAt: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(placedAt));
}
