import type { DocumentNode, GraphQLError } from 'graphql';

/** Subscription documents kept parsed and validated, per schema. @default 1000 */
export const DEFAULT_DOCUMENT_CACHE_SIZE = 1000;

/** A parsed document and what validation said of it (empty: valid), shared by every subscription of the same text. */
export interface CachedDocument {
  /** The text, kept once for all subscriptions that sent it. */
  readonly query: string;
  readonly document: DocumentNode;
  readonly errors: readonly GraphQLError[];
}

/**
 * Parsed and validated subscription documents by text, least recently used dropped first. Many
 * clients send the same few subscriptions: each is then parsed and validated once, and all of them
 * share one AST and one copy of the text instead of holding their own (most of what an idle
 * subscription costs in memory). Only documents that parsed are kept; validation results are kept
 * with them, so a document is valid or invalid for the schema it was cached for: make a new cache
 * per schema (a gateway: per supergraph).
 */
export class DocumentCache {
  private readonly entries = new Map<string, CachedDocument>();

  constructor(private readonly maxEntries = DEFAULT_DOCUMENT_CACHE_SIZE) {}

  /**
   * The cached entry of `query`, or the one `load` makes (which may throw: nothing is cached then).
   * @param load parses and validates `query`
   */
  get(query: string, load: () => Omit<CachedDocument, 'query'>): CachedDocument {
    const hit = this.entries.get(query);
    if (hit) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(query);
      this.entries.set(query, hit);
      return hit;
    }
    const entry = { query, ...load() };
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(query, entry);
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }
}
