import { badUserInput, decodeCursor, isUuid } from '@mega/subgraph-kit';

/** Latest instant a cursor may name (the largest a JavaScript Date holds). */
const MAX_TIME_MS = 8.64e15;

/**
 * Decodes an `after` cursor of a list sorted by a number (creation time in ms, album position)
 * and a uuid, checking both parts before they reach SQL.
 * @returns undefined when there is no cursor
 * @throws BAD_USER_INPUT naming `argument` for anything that is not one of our cursors
 */
export function decodeNumberIdCursor(cursor: string | null | undefined, argument = 'after'): readonly [number, string] | undefined {
  if (cursor == null) return undefined;
  const [value, id] = decodeCursor(cursor, ['number', 'string'], argument);
  if (!Number.isSafeInteger(value) || Math.abs(value) > MAX_TIME_MS || !isUuid(id)) {
    throw badUserInput(`${argument} is not a valid cursor.`, argument);
  }
  return [value, id];
}
