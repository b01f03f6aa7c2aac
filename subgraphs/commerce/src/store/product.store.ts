import { and, asc, count, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { isUuid, type Database } from '@mega/subgraph-kit';
import { products, type CommerceTables } from './tables.js';

export type ProductRow = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;

/** Escapes LIKE wildcards so that a search matches its text literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** The catalogue. Stock changes happen in OrderStore, inside the checkout and cancel transactions. */
export class ProductStore {
  constructor(private readonly db: Database<CommerceTables>) {}

  /** One query for any number of ids; rows come back in the order of `ids`, undefined where missing. */
  async byIds(ids: readonly string[]): Promise<(ProductRow | undefined)[]> {
    const valid = [...new Set(ids.filter(isUuid))];
    const rows = valid.length ? await this.db.select().from(products).where(inArray(products.id, valid)) : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id));
  }

  /**
   * A page of the catalogue ordered by title, then id (a stable order for cursors).
   * @param options.search case-insensitive substring of the title or the description
   * @param options.after the (title, id) of the last row of the previous page
   * @param options.limit rows to fetch (callers ask for one more than they show)
   */
  async page(options: { search: string | null; after: readonly [string, string] | null; limit: number }): Promise<ProductRow[]> {
    const conditions: SQL[] = [];
    if (options.search) {
      const pattern = likePattern(options.search);
      conditions.push(or(ilike(products.title, pattern), ilike(products.description, pattern))!);
    }
    if (options.after) {
      const [title, id] = options.after;
      conditions.push(sql`(${products.title}, ${products.id}) > (${title}, ${id}::uuid)`);
    }
    return this.db
      .select()
      .from(products)
      .where(and(...conditions))
      .orderBy(asc(products.title), asc(products.id))
      .limit(options.limit);
  }

  async create(product: NewProduct): Promise<ProductRow> {
    const [row] = await this.db.insert(products).values(product).returning();
    return row!;
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(products);
    return row?.n ?? 0;
  }

  /** The current stock of a product; for tests and operators. */
  async stockOf(id: string): Promise<number | undefined> {
    const [row] = await this.db.select({ stock: products.stock }).from(products).where(eq(products.id, id));
    return row?.stock;
  }
}
