import { sql } from 'drizzle-orm';
import { check, index, integer, pgSchema, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { clientMutationsTable } from '@mega/subgraph-kit/tables';

export const commerce = pgSchema('commerce');

/** PLACED -> PAID -> SHIPPED -> DELIVERED, advanced by the fulfilment worker; CANCELLED by the buyer. */
export const orderStatus = commerce.enum('order_status', ['PLACED', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED']);
export type OrderStatusValue = (typeof orderStatus.enumValues)[number];

export const products = commerce.table(
  'products',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique('products_slug_key'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    priceCents: integer('price_cents').notNull(),
    /** ISO 4217 code. */
    currency: text('currency').notNull().default('USD'),
    stock: integer('stock').notNull(),
    /** MediaAsset ids owned by the media subgraph, in display order. */
    imageIds: uuid('image_ids').array().notNull().default(sql`'{}'::uuid[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // The catalogue's cursor order.
    index('products_title_id_idx').on(table.title, table.id),
    check('products_price_cents_check', sql`${table.priceCents} >= 0`),
    // The last line of defence against overselling.
    check('products_stock_check', sql`${table.stock} >= 0`),
  ],
);

/** One cart per user; `version` is bumped by every cart mutation (optimistic concurrency for clients). */
export const carts = commerce.table('carts', {
  userId: uuid('user_id').primaryKey(),
  version: integer('version').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const cartItems = commerce.table(
  'cart_items',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => carts.userId, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    quantity: integer('quantity').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.productId] }),
    check('cart_items_quantity_check', sql`${table.quantity} between 1 and 99`),
  ],
);

export const orders = commerce.table(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    buyerId: uuid('buyer_id').notNull(),
    status: orderStatus('status').notNull().default('PLACED'),
    totalCents: integer('total_cents').notNull(),
    currency: text('currency').notNull(),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the fulfilment worker may take the next step; null once DELIVERED or CANCELLED. */
    nextTransitionAt: timestamp('next_transition_at', { withTimezone: true }),
  },
  (table) => [
    // User.orders: newest first.
    index('orders_buyer_placed_idx').on(table.buyerId, table.placedAt.desc(), table.id.desc()),
    // The fulfilment worker's scan.
    index('orders_due_idx').on(table.nextTransitionAt).where(sql`${table.nextTransitionAt} is not null`),
  ],
);

export const orderItems = commerce.table(
  'order_items',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    /** The line's place in the order (the cart's order at checkout). */
    position: integer('position').notNull(),
    quantity: integer('quantity').notNull(),
    /** The product's price when the order was placed. */
    unitPriceCents: integer('unit_price_cents').notNull(),
  },
  (table) => [primaryKey({ columns: [table.orderId, table.productId] })],
);

export const clientMutations = clientMutationsTable(commerce);

export const tables = { products, carts, cartItems, orders, orderItems, clientMutations };
export type CommerceTables = typeof tables;
