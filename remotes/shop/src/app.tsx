import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useQuery } from '@apollo/client/react';
import type { ApolloClient } from '@apollo/client';
import type { MiniAppContext, MiniAppProps } from '@mega/mini-app-sdk';
import { SHOP_CART } from './cart';
import type { ShopAddToCartMutation, ShopAddToCartMutationVariables } from './gql/graphql';
import { CartPage } from './cart-page';
import { Catalogue, INITIAL_CATALOGUE, type CatalogueState } from './catalogue';
import { OrderPage } from './order-page';
import { OrdersPage } from './orders-page';
import { MAX_LINE_QUANTITY, ProductPage, SHOP_ADD_TO_CART, updateCartAfterAdd } from './product-page';
import { registerOutboxOperation } from '@mega/mini-app-sdk';
import type { ApolloCache } from '@apollo/client';
import { parseShopPath, shopPath, type ShopRoute } from './routes';
import { PageHeading, ShopLink, ShopNavigationProvider, type ShopNavigation, type ShopTarget } from './shop-navigation';
import './shop.css';

/**
 * The shop mini-app's root: a header with the shop's sections and the cart's count, and the page
 * of the current path under the app's route (`/shop`, `/shop/p/<id>`, `/shop/cart`,
 * `/shop/orders`, `/shop/orders/<id>`). It queries through the shell's one client (its
 * ApolloProvider); the shop handles no intents, so it never gets an `intent`.
 */
export default function App({ context }: MiniAppProps<ApolloClient>) {
  const { navigation } = context;
  const base = context.app.route;
  const path = useSyncExternalStore(
    (listener) => navigation.subscribe(listener),
    () => navigation.path,
  );
  const [navigated, setNavigated] = useState(false);
  useEffect(() => navigation.subscribe(() => setNavigated(true)), [navigation]);
  // Adds kept in the shell's outbox (made offline) update the cart when they are sent after a reload.
  useEffect(
    () =>
      registerOutboxOperation<ShopAddToCartMutation, ShopAddToCartMutationVariables, ApolloCache>(context.graphql, {
        document: SHOP_ADD_TO_CART,
        describe: ({ quantity }) => `Adding ${quantity} to the cart`,
        update: updateCartAfterAdd,
        // Refused (more than the stock, say): the quantity can be changed in the shell's "Not sent" list and sent again.
        edit: {
          label: 'Quantity',
          value: ({ quantity }) => String(quantity),
          apply: (variables, value) => {
            const quantity = Number(value);
            if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) throw new Error(`Enter a whole number from 1 to ${MAX_LINE_QUANTITY}.`);
            return { ...variables, quantity };
          },
        },
      }),
    [context.graphql],
  );
  const [catalogue, setCatalogue] = useState<CatalogueState>(INITIAL_CATALOGUE);
  const offline =
    useSyncExternalStore(
      (listener) => context.connectivity.subscribe(listener),
      () => context.connectivity.status,
    ) === 'offline';

  const route = parseShopPath(path, base);
  const shopNavigation = useMemo<ShopNavigation>(
    () => ({
      route,
      navigated,
      pathOf: (target) => shopPath(target, base),
      navigate: (target) => navigation.navigate(shopPath(target, base)),
    }),
    // The route is made anew on each render: the path it is parsed from stands for it.
    [path, navigated, base, navigation],
  );

  return (
    <ShopNavigationProvider value={shopNavigation}>
      <div className="shop">
        <ShopHeader title={context.app.title} route={route} />
        {offline && <OfflineNotice />}
        <div className="shop-page" key={path}>
          <ShopPage route={route} context={context} offline={offline} catalogue={catalogue} onCatalogueChange={setCatalogue} />
        </div>
      </div>
    </ShopNavigationProvider>
  );
}

/** The header's sections, each with the pages that belong to it (a product to the catalogue, an order to the orders). */
const SECTIONS: { target: ShopTarget; label: string; pages: ShopRoute['page'][] }[] = [
  { target: { page: 'catalogue' }, label: 'Catalogue', pages: ['catalogue', 'product'] },
  { target: { page: 'cart' }, label: 'Cart', pages: ['cart'] },
  { target: { page: 'orders' }, label: 'Orders', pages: ['orders', 'order'] },
];

/** `page` on the section's own page, `true` on another page of the section (a product, an order). */
const currentness = (target: ShopTarget, pages: ShopRoute['page'][], route: ShopRoute) => (route.page === target.page ? 'page' : pages.includes(route.page) ? 'true' : undefined);

/** The app's heading and its sections; the cart's link shows how many units it holds. */
function ShopHeader({ title, route }: { title: string; route: ShopRoute }) {
  // The count as saved at once, then as the server has it (the cart may have changed on another device).
  const { data } = useQuery(SHOP_CART, { fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' });
  const count = data?.cart?.itemCount;
  return (
    <header className="shop-header">
      <h1>{title}</h1>
      <nav aria-label={`${title} sections`}>
        <ul>
          {SECTIONS.map(({ target, label, pages }) => (
            <li key={label}>
              <ShopLink to={target} aria-current={currentness(target, pages, route)}>
                {label}
                {target.page === 'cart' && count !== undefined && (
                  <span className="shop-badge">
                    {count}
                    <span className="shop-visually-hidden">{count === 1 ? ' item' : ' items'}</span>
                  </span>
                )}
              </ShopLink>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

/**
 * Says what going offline means for the shop (the shell's header shows the connection itself,
 * reconnecting included): nothing the shop sends gets through until it is back. While it shows,
 * a list the shop has saved shows without its own "could not be loaded".
 */
function OfflineNotice() {
  return (
    <p className="shop-offline" role="alert">
      You are offline: the shop shows what it last loaded, and nothing can be ordered until the connection is back.
    </p>
  );
}

function ShopPage({
  route,
  context,
  offline,
  catalogue,
  onCatalogueChange,
}: {
  route: ShopRoute;
  context: MiniAppContext<ApolloClient>;
  /** The shell cannot reach the gateway: the {@link OfflineNotice} says so. */
  offline: boolean;
  catalogue: CatalogueState;
  onCatalogueChange: (state: CatalogueState) => void;
}) {
  switch (route.page) {
    case 'catalogue':
      return <Catalogue state={catalogue} onChange={onCatalogueChange} offline={offline} />;
    case 'product':
      return <ProductPage productId={route.productId} context={context} />;
    case 'cart':
      return <CartPage />;
    case 'orders':
      return <OrdersPage offline={offline} />;
    case 'order':
      return <OrderPage orderId={route.orderId} />;
    case 'not-found':
      return (
        <section className="shop-not-found">
          <PageHeading>Page not found</PageHeading>
          <p>
            The shop has no such page. <ShopLink to={{ page: 'catalogue' }}>Go to the catalogue</ShopLink>
          </p>
        </section>
      );
  }
}
