/** At or below this many units, the shop says that few are left. */
export const LOW_STOCK = 5;

/** How many units are available, in words. */
export function stockLabel(stock: number): string {
  if (stock <= 0) return 'Out of stock';
  if (stock <= LOW_STOCK) return `Only ${stock} left`;
  return `${stock} in stock`;
}
