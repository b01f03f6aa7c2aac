import { badUserInput, decodeCursor, isUuid } from '@mega/subgraph-kit';

/** Decodes a `User.orders(after:)` cursor: the (placedAt, id) of an order. */
export function decodeOrderCursor(after: string | null | undefined): readonly [Date, string] | null {
  if (after == null) return null;
  const [placedAt, id] = decodeCursor(after, ['string', 'string'] as const, 'after');
  const date = new Date(placedAt);
  if (!isUuid(id) || Number.isNaN(date.getTime())) throw badUserInput('after is not a valid cursor.', 'after');
  return [date, id];
}
