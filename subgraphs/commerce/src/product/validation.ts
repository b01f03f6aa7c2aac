import { badUserInput, decodeCursor, isUuid } from '@mega/subgraph-kit';
import { MAX_SEARCH_LENGTH } from '../limits.js';

/** @returns the trimmed search text, or null to list everything */
export function checkSearch(search: string | null | undefined): string | null {
  if (search == null) return null;
  if (search.length > MAX_SEARCH_LENGTH) throw badUserInput(`search must be at most ${MAX_SEARCH_LENGTH} characters.`, 'search');
  const trimmed = search.trim();
  return trimmed.length ? trimmed : null;
}

/** Decodes a `products(after:)` cursor: the (title, id) of a product. */
export function decodeProductCursor(after: string | null | undefined): readonly [string, string] | null {
  if (after == null) return null;
  const [title, id] = decodeCursor(after, ['string', 'string'] as const, 'after');
  if (!isUuid(id)) throw badUserInput('after is not a valid cursor.', 'after');
  return [title, id];
}
