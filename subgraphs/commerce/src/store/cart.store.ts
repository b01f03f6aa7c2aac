import { and, asc, eq, sql } from 'drizzle-orm';
import { badUserInput, conflict, notFound, runOnce, type Database } from '@mega/subgraph-kit';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from '../limits.js';
import type { Executor } from './executor.js';
import type { ProductRow } from './product.store.js';
import { cartItems, carts, clientMutations, products, type CommerceTables } from './tables.js';

export interface CartLine {
  product: ProductRow;
  quantity: number;
}

/** A user's cart as stored: version 0 and no lines until the first cart mutation. */
export interface CartView {
  userId: string;
  version: number;
  lines: CartLine[];
}

/**
 * Creates the user's cart row if needed and locks it (SELECT ... FOR UPDATE) until the
 * transaction ends, so that the cart mutations and checkouts of one user run one at a time.
 * @returns the cart's current version
 */
export async function lockCart(tx: Executor, userId: string): Promise<number> {
  await tx.insert(carts).values({ userId }).onConflictDoNothing();
  const [row] = await tx.select({ version: carts.version }).from(carts).where(eq(carts.userId, userId)).for('update');
  return row!.version;
}

/** @returns the new version */
export async function bumpCartVersion(tx: Executor, userId: string): Promise<number> {
  const [row] = await tx
    .update(carts)
    .set({ version: sql`${carts.version} + 1`, updatedAt: sql`now()` })
    .where(eq(carts.userId, userId))
    .returning({ version: carts.version });
  return row!.version;
}

async function findProduct(tx: Executor, productId: string): Promise<ProductRow> {
  const [product] = await tx.select().from(products).where(eq(products.id, productId));
  if (!product) throw notFound('Product');
  return product;
}

/** Sets one line of a locked cart after checking the cart's limits, currency and the product's stock. */
async function putLine(tx: Executor, userId: string, product: ProductRow, quantity: number): Promise<void> {
  const lines = await tx
    .select({ productId: cartItems.productId, currency: products.currency })
    .from(cartItems)
    .innerJoin(products, eq(products.id, cartItems.productId))
    .where(eq(cartItems.userId, userId));
  const isNewLine = !lines.some((line) => line.productId === product.id);
  if (isNewLine && lines.length >= MAX_CART_LINES) {
    throw badUserInput(`A cart holds at most ${MAX_CART_LINES} different products.`, 'productId');
  }
  const otherCurrency = lines.find((line) => line.currency !== product.currency)?.currency;
  if (otherCurrency) {
    throw conflict(`${product.title} is priced in ${product.currency} but the cart holds ${otherCurrency} items.`, { productId: product.id });
  }
  if (quantity > MAX_LINE_QUANTITY) {
    throw badUserInput(`A cart line holds at most ${MAX_LINE_QUANTITY} of a product.`, 'quantity');
  }
  if (quantity > product.stock) {
    throw conflict(`Only ${product.stock} of ${product.title} in stock.`, { productId: product.id, available: product.stock });
  }
  await tx
    .insert(cartItems)
    .values({ userId, productId: product.id, quantity })
    .onConflictDoUpdate({ target: [cartItems.userId, cartItems.productId], set: { quantity } });
}

/** Carts and their lines. Every mutation here bumps the cart's version by one. */
export class CartStore {
  constructor(private readonly db: Database<CommerceTables>) {}

  /** The cart with its products, in the order they were added (two queries). */
  async view(userId: string): Promise<CartView> {
    const [cart] = await this.db.select({ version: carts.version }).from(carts).where(eq(carts.userId, userId));
    if (!cart) return { userId, version: 0, lines: [] };
    const lines = await this.db
      .select({ product: products, quantity: cartItems.quantity })
      .from(cartItems)
      .innerJoin(products, eq(products.id, cartItems.productId))
      .where(eq(cartItems.userId, userId))
      .orderBy(asc(cartItems.addedAt), asc(cartItems.productId));
    return { userId, version: cart.version, lines };
  }

  /**
   * Adds `quantity` units of a product to its line (creating the line), at most once per clientMutationId.
   * @returns the cart's new version (or the one of the first run, for a retry)
   * @throws NOT_FOUND for an unknown product, BAD_USER_INPUT past the line or cart limits,
   * CONFLICT when the line would exceed the stock
   */
  add(input: { userId: string; productId: string; quantity: number; clientMutationId?: string | null }): Promise<{ version: number }> {
    const { userId, productId, clientMutationId } = input;
    return runOnce(this.db as Executor, clientMutations, { userId, clientMutationId, operation: 'addToCart' }, async (tx) => {
      const product = await findProduct(tx, productId);
      await lockCart(tx, userId);
      const [line] = await tx
        .select({ quantity: cartItems.quantity })
        .from(cartItems)
        .where(and(eq(cartItems.userId, userId), eq(cartItems.productId, productId)));
      await putLine(tx, userId, product, (line?.quantity ?? 0) + input.quantity);
      return { version: await bumpCartVersion(tx, userId) };
    });
  }

  /**
   * Sets a line's quantity; 0 removes the line.
   * @throws CONFLICT with `extensions.currentVersion` when `expectedVersion` is given and stale
   */
  setQuantity(input: { userId: string; productId: string; quantity: number; expectedVersion?: number | null }): Promise<{ version: number }> {
    const { userId, productId, quantity, expectedVersion } = input;
    return this.db.transaction(async (tx) => {
      const product = await findProduct(tx, productId);
      const version = await lockCart(tx, userId);
      if (expectedVersion != null && expectedVersion !== version) {
        throw conflict(`The cart changed: it is at version ${version}, not ${expectedVersion}.`, {
          argument: 'expectedVersion',
          currentVersion: version,
        });
      }
      if (quantity === 0) {
        await tx.delete(cartItems).where(and(eq(cartItems.userId, userId), eq(cartItems.productId, productId)));
      } else {
        await putLine(tx, userId, product, quantity);
      }
      return { version: await bumpCartVersion(tx, userId) };
    });
  }

  /** Removes a product's line (nothing to remove is fine). @throws NOT_FOUND for an unknown product */
  remove(input: { userId: string; productId: string }): Promise<{ version: number }> {
    const { userId, productId } = input;
    return this.db.transaction(async (tx) => {
      await findProduct(tx, productId);
      await lockCart(tx, userId);
      await tx.delete(cartItems).where(and(eq(cartItems.userId, userId), eq(cartItems.productId, productId)));
      return { version: await bumpCartVersion(tx, userId) };
    });
  }

  /** Writes a cart as given (demo seed): replaces its lines without stock checks. */
  async replace(userId: string, lines: readonly { productId: string; quantity: number }[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await lockCart(tx, userId);
      await tx.delete(cartItems).where(eq(cartItems.userId, userId));
      // Distinct times keep the lines in the given order (one statement would give them all the same now()).
      const start = Date.now();
      if (lines.length) await tx.insert(cartItems).values(lines.map((line, i) => ({ userId, ...line, addedAt: new Date(start + i) })));
      await bumpCartVersion(tx, userId);
    });
  }
}
