import { and, asc, desc, eq, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { badUserInput, conflict, isUuid, runOnce, type Database } from '@mega/subgraph-kit';
import { bumpCartVersion, lockCart } from './cart.store.js';
import type { Executor } from './executor.js';
import { cartItems, clientMutations, orderItems, orders, products, type CommerceTables, type OrderStatusValue } from './tables.js';

export type OrderRow = typeof orders.$inferSelect;
export type OrderItemRow = typeof orderItems.$inferSelect;

/** One step of an order's life, as recorded by {@link OrderStore}; what `orderStatusChanged` will carry. */
export interface OrderStatusChange {
  orderId: string;
  buyerId: string;
  from: OrderStatusValue;
  to: OrderStatusValue;
  at: Date;
}

/** The fulfilment worker's steps. */
export const NEXT_STATUS: Partial<Record<OrderStatusValue, OrderStatusValue>> = {
  PLACED: 'PAID',
  PAID: 'SHIPPED',
  SHIPPED: 'DELIVERED',
};

/** Statuses in which the buyer may still cancel. */
export const CANCELLABLE_STATUSES: readonly OrderStatusValue[] = ['PLACED', 'PAID'];

/** Orders scanned per transaction by {@link OrderStore.advanceDueOrders}. @default 100 */
export const DEFAULT_FULFILMENT_BATCH_SIZE = 100;

export interface OrderStoreOptions {
  /** Delay between two fulfilment steps of an order; checkout schedules the first one. */
  fulfilmentStepMs: number;
  /** Told of every status change once its transaction has committed (publishes `orderStatusChanged`). */
  onStatusChanged?: (change: OrderStatusChange) => void;
}

/** Orders, checkout and the order life cycle (fulfilment and cancellation). */
export class OrderStore {
  constructor(
    private readonly db: Database<CommerceTables>,
    private readonly options: OrderStoreOptions,
  ) {}

  /** One query for any number of ids; rows come back in the order of `ids`, undefined where missing. */
  async byIds(ids: readonly string[]): Promise<(OrderRow | undefined)[]> {
    const valid = [...new Set(ids.filter(isUuid))];
    const rows = valid.length ? await this.db.select().from(orders).where(inArray(orders.id, valid)) : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id));
  }

  /** The lines of many orders in one query, in the order of `orderIds`, each in its position order. */
  async itemsOf(orderIds: readonly string[]): Promise<OrderItemRow[][]> {
    const valid = [...new Set(orderIds.filter(isUuid))];
    const rows = valid.length
      ? await this.db.select().from(orderItems).where(inArray(orderItems.orderId, valid)).orderBy(asc(orderItems.position))
      : [];
    const byOrder = new Map<string, OrderItemRow[]>();
    for (const row of rows) byOrder.set(row.orderId, [...(byOrder.get(row.orderId) ?? []), row]);
    return orderIds.map((id) => byOrder.get(id) ?? []);
  }

  /**
   * A page of a buyer's orders, newest first (placedAt, then id, both descending).
   * @param options.after the (placedAt, id) of the last row of the previous page
   */
  async pageForBuyer(buyerId: string, options: { after: readonly [Date, string] | null; limit: number }): Promise<OrderRow[]> {
    const conditions: SQL[] = [eq(orders.buyerId, buyerId)];
    if (options.after) {
      const [placedAt, id] = options.after;
      conditions.push(sql`(${orders.placedAt}, ${orders.id}) < (${placedAt.toISOString()}::timestamptz, ${id}::uuid)`);
    }
    return this.db
      .select()
      .from(orders)
      .where(and(...conditions))
      .orderBy(desc(orders.placedAt), desc(orders.id))
      .limit(options.limit);
  }

  /**
   * Turns the buyer's cart into an order in one transaction: locks the cart and its products
   * (SELECT ... FOR UPDATE, products in id order so that concurrent checkouts cannot deadlock),
   * checks and decrements the stock, records the order at the current prices, empties the cart
   * and bumps its version. A retry with the same clientMutationId returns the same order.
   * @throws BAD_USER_INPUT when the cart is empty, CONFLICT naming the product when the stock is short
   */
  checkout(input: { buyerId: string; clientMutationId: string; now?: Date }): Promise<{ orderId: string }> {
    const { buyerId, clientMutationId } = input;
    const now = input.now ?? new Date();
    return runOnce(this.db as Executor, clientMutations, { userId: buyerId, clientMutationId, operation: 'checkout' }, async (tx) => {
      await lockCart(tx, buyerId);
      // A concurrent retry may have committed while we waited for the cart lock. Its result
      // stands: return it, and runOnce's insert of our result fails and answers the stored one.
      const [earlier] = await tx
        .select({ result: clientMutations.result })
        .from(clientMutations)
        .where(and(eq(clientMutations.userId, buyerId), eq(clientMutations.clientMutationId, clientMutationId)));
      if (earlier) return earlier.result as { orderId: string };

      const lines = await tx
        .select({ productId: cartItems.productId, quantity: cartItems.quantity })
        .from(cartItems)
        .where(eq(cartItems.userId, buyerId))
        .orderBy(asc(cartItems.addedAt), asc(cartItems.productId));
      if (lines.length === 0) throw badUserInput('The cart is empty.');

      const locked = await tx
        .select()
        .from(products)
        .where(
          inArray(
            products.id,
            lines.map((line) => line.productId),
          ),
        )
        .orderBy(asc(products.id))
        .for('update');
      const productById = new Map(locked.map((product) => [product.id, product]));
      const priced = lines.map((line) => ({ ...line, product: productById.get(line.productId)! }));
      for (const { product, quantity } of priced) {
        if (product.stock < quantity) {
          throw conflict(`Not enough ${product.title} in stock: ${product.stock} left, ${quantity} in the cart.`, {
            productId: product.id,
            available: product.stock,
          });
        }
      }
      const currency = priced[0]!.product.currency;
      if (priced.some((line) => line.product.currency !== currency)) {
        throw conflict('The cart mixes currencies; remove the items in the other currency.');
      }

      await tx
        .update(products)
        .set({
          stock: sql`${products.stock} - case ${products.id} ${sql.join(
            priced.map((line) => sql`when ${line.productId}::uuid then ${line.quantity}::int`),
            sql` `,
          )} end`,
        })
        .where(
          inArray(
            products.id,
            priced.map((line) => line.productId),
          ),
        );
      const totalCents = priced.reduce((sum, line) => sum + line.product.priceCents * line.quantity, 0);
      const [order] = await tx
        .insert(orders)
        .values({
          buyerId,
          status: 'PLACED',
          totalCents,
          currency,
          placedAt: now,
          updatedAt: now,
          nextTransitionAt: new Date(now.getTime() + this.options.fulfilmentStepMs),
        })
        .returning({ id: orders.id });
      await tx.insert(orderItems).values(
        priced.map((line, position) => ({
          orderId: order!.id,
          productId: line.productId,
          position,
          quantity: line.quantity,
          unitPriceCents: line.product.priceCents,
        })),
      );
      await tx.delete(cartItems).where(eq(cartItems.userId, buyerId));
      await bumpCartVersion(tx, buyerId);
      return { orderId: order!.id };
    });
  }

  /**
   * Cancels a buyer's order and puts its items back in stock.
   * @returns the cancelled order, or undefined when the buyer has no such order
   * @throws CONFLICT unless the order is PLACED or PAID
   */
  cancel(input: { buyerId: string; orderId: string; now?: Date }): Promise<OrderRow | undefined> {
    const { buyerId, orderId } = input;
    const now = input.now ?? new Date();
    if (!isUuid(orderId)) return Promise.resolve(undefined);
    return this.changingStatus(async (tx, changed) => {
      const [order] = await tx
        .select()
        .from(orders)
        .where(and(eq(orders.id, orderId), eq(orders.buyerId, buyerId)))
        .for('update');
      if (!order) return undefined;
      if (!CANCELLABLE_STATUSES.includes(order.status)) {
        throw conflict(`An order that is ${order.status} can no longer be cancelled.`, { status: order.status });
      }
      // Lock in id order, as checkout does, before the update takes the row locks in its own order.
      await tx
        .select({ id: products.id })
        .from(products)
        .where(inArray(products.id, tx.select({ id: orderItems.productId }).from(orderItems).where(eq(orderItems.orderId, orderId))))
        .orderBy(asc(products.id))
        .for('update');
      await tx
        .update(products)
        .set({ stock: sql`${products.stock} + ${orderItems.quantity}` })
        .from(orderItems)
        .where(and(eq(orderItems.orderId, orderId), eq(orderItems.productId, products.id)));
      const change = await this.changeStatus(tx, changed, order, 'CANCELLED', now);
      return change.row;
    });
  }

  /**
   * Moves every order whose next fulfilment step is due at `now` one step on
   * (PLACED -> PAID -> SHIPPED -> DELIVERED) and schedules the step after it.
   * Rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED, so any number of instances may run
   * this at once: an order that another instance is advancing is skipped, never advanced twice.
   * @returns the steps taken (at most `batchSize`)
   */
  advanceDueOrders(now: Date, batchSize = DEFAULT_FULFILMENT_BATCH_SIZE): Promise<OrderStatusChange[]> {
    return this.changingStatus(async (tx, changed) => {
      const due = await tx
        .select()
        .from(orders)
        .where(and(lte(orders.nextTransitionAt, now), inArray(orders.status, Object.keys(NEXT_STATUS) as OrderStatusValue[])))
        .orderBy(asc(orders.nextTransitionAt))
        .limit(batchSize)
        .for('update', { skipLocked: true });
      const changes: OrderStatusChange[] = [];
      for (const order of due) {
        changes.push((await this.changeStatus(tx, changed, order, NEXT_STATUS[order.status]!, now)).change);
      }
      return changes;
    });
  }

  /** Runs `work` in a transaction and, once it has committed, reports the status changes it made. */
  private async changingStatus<T>(work: (tx: Executor, changed: OrderStatusChange[]) => Promise<T>): Promise<T> {
    const changed: OrderStatusChange[] = [];
    const result = await this.db.transaction((tx) => work(tx, changed));
    for (const change of changed) this.options.onStatusChanged?.(change);
    return result;
  }

  /**
   * The one place an order's status changes (fulfilment and cancellation): sets the status,
   * schedules the next fulfilment step (none once DELIVERED or CANCELLED), and reports the step
   * (into `changed`, announced after the commit by {@link changingStatus}).
   * Call it with the order row locked.
   */
  private async changeStatus(
    tx: Executor,
    changed: OrderStatusChange[],
    order: OrderRow,
    to: OrderStatusValue,
    now: Date,
  ): Promise<{ row: OrderRow; change: OrderStatusChange }> {
    const nextTransitionAt = NEXT_STATUS[to] ? new Date(now.getTime() + this.options.fulfilmentStepMs) : null;
    const [row] = await tx
      .update(orders)
      .set({ status: to, updatedAt: now, nextTransitionAt })
      .where(and(eq(orders.id, order.id), eq(orders.status, order.status)))
      .returning();
    const change = { orderId: order.id, buyerId: order.buyerId, from: order.status, to, at: now };
    changed.push(change);
    return { row: row!, change };
  }

  /**
   * Writes an order as given, without touching stock or carts: for the demo seed and tests.
   * @returns the order's id
   */
  async record(input: {
    id?: string;
    buyerId: string;
    status: OrderStatusValue;
    placedAt: Date;
    currency: string;
    items: readonly { productId: string; quantity: number; unitPriceCents: number }[];
  }): Promise<string> {
    return this.db.transaction(async (tx) => {
      const totalCents = input.items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0);
      const [order] = await tx
        .insert(orders)
        .values({
          ...(input.id ? { id: input.id } : {}),
          buyerId: input.buyerId,
          status: input.status,
          totalCents,
          currency: input.currency,
          placedAt: input.placedAt,
          updatedAt: input.placedAt,
          nextTransitionAt: NEXT_STATUS[input.status] ? new Date(input.placedAt.getTime() + this.options.fulfilmentStepMs) : null,
        })
        .returning({ id: orders.id });
      await tx.insert(orderItems).values(input.items.map((item, position) => ({ orderId: order!.id, position, ...item })));
      return order!.id;
    });
  }
}
