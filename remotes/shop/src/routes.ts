/** The shop's pages. Each is a path under the app's route (`/shop` in the registry), so back and forward work. */
export type ShopRoute =
  | { page: 'catalogue' }
  | { page: 'product'; productId: string }
  | { page: 'cart' }
  | { page: 'orders' }
  | { page: 'order'; orderId: string }
  | { page: 'not-found' };

/**
 * The shop page a path of the shell shows.
 * @param base the app's route, e.g. `/shop`
 */
export function parseShopPath(path: string, base: string): ShopRoute {
  if (path !== base && !path.startsWith(`${base}/`)) return { page: 'not-found' };
  const segments = path
    .slice(base.length)
    .split('/')
    .filter((segment) => segment !== '')
    .map(decodeURIComponent);
  const [first, second, ...rest] = segments;
  if (rest.length > 0) return { page: 'not-found' };
  if (first === undefined) return { page: 'catalogue' };
  if (first === 'p' && second) return { page: 'product', productId: second };
  if (first === 'cart' && second === undefined) return { page: 'cart' };
  if (first === 'orders' && second === undefined) return { page: 'orders' };
  if (first === 'orders' && second) return { page: 'order', orderId: second };
  return { page: 'not-found' };
}

/** The path of a shop page under `base` (the app's route). */
export function shopPath(route: Exclude<ShopRoute, { page: 'not-found' }>, base: string): string {
  switch (route.page) {
    case 'catalogue':
      return base;
    case 'product':
      return `${base}/p/${encodeURIComponent(route.productId)}`;
    case 'cart':
      return `${base}/cart`;
    case 'orders':
      return `${base}/orders`;
    case 'order':
      return `${base}/orders/${encodeURIComponent(route.orderId)}`;
  }
}
