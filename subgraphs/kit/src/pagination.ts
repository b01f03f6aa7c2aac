import 'reflect-metadata';
import { Directive, Field, ObjectType, type ClassType } from 'type-graphql';
import { badUserInput } from './errors.js';

/** Page size when `first` is not given. */
export const DEFAULT_PAGE_SIZE = 20;
/** Largest `first` accepted; more is a BAD_USER_INPUT error. */
export const MAX_PAGE_SIZE = 100;

@Directive('@shareable')
@ObjectType({ description: 'Where a page of a connection sits in the whole list.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/**
 * Declares the `<Name>Connection` and `<Name>Edge` object types for a node type.
 * Resolvers return plain {@link Connection} objects.
 */
export function connectionTypes<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String, { description: 'Opaque; pass it as `after` or `before`.' })
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }

  return { EdgeType, ConnectionType };
}

/**
 * Checks `first` against the documented limits.
 * @returns the page size to fetch
 * @throws BAD_USER_INPUT when `first` is below 1 or above {@link MAX_PAGE_SIZE}
 */
export function pageSize(first: number | null | undefined, max = MAX_PAGE_SIZE, fallback = DEFAULT_PAGE_SIZE): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw badUserInput(`first must be between 1 and ${max}; got ${first}.`, 'first');
  }
  return first;
}

/** Encodes a sort key as an opaque cursor. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor}, checking the kind of each key part.
 * @throws BAD_USER_INPUT naming `argument` when the cursor is not one of ours
 */
export function decodeCursor<const K extends readonly ('string' | 'number')[]>(
  cursor: string,
  shape: K,
  argument: string,
): { [I in keyof K]: K[I] extends 'number' ? number : string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== shape.length ||
    parsed.some((part, i) => typeof part !== shape[i] || (typeof part === 'number' && !Number.isFinite(part)))
  ) {
    throw badUserInput(`${argument} is not a valid cursor.`, argument);
  }
  return parsed as { [I in keyof K]: K[I] extends 'number' ? number : string };
}

/**
 * Builds a connection from rows fetched with one extra row (limit + 1) to learn whether more follow.
 * @param rows rows in the order they are presented, possibly `size + 1` long
 * @param size the page size asked for
 * @param cursorOf the sort key of a row
 * @param hasPreviousPage whether rows exist before the first one (known from the request's cursor)
 */
export function toConnection<T>(
  rows: T[],
  size: number,
  cursorOf: (row: T) => readonly (string | number)[],
  hasPreviousPage: boolean,
): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
