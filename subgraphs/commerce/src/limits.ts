/** The commerce subgraph's documented input limits and defaults. */

/** Most units of one product a cart line (and an order line) may hold. */
export const MAX_LINE_QUANTITY = 99;
/** Most distinct products one cart may hold. */
export const MAX_CART_LINES = 50;
/** Longest `products(search:)` accepted. */
export const MAX_SEARCH_LENGTH = 100;
/** The currency of an empty cart's total. */
export const DEFAULT_CURRENCY = 'USD';
