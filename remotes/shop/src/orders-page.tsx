import { useId, useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { graphql } from './gql';
import { describeError } from './graphql-error';
import { formatPlacedAt, ORDER_STATUS_LABEL } from './order-status';
import { currentCursor, FIRST_PAGE, Pager } from './pager';
import { PageHeading, ShopLink } from './shop-navigation';

/** Orders per page of the order list. */
export const ORDERS_PAGE_SIZE = 10;

export const SHOP_ORDERS = graphql(`
  query ShopOrders($first: Int!, $after: String) {
    me {
      id
      orders(first: $first, after: $after) {
        edges {
          cursor
          node {
            id
            status
            placedAt
            total {
              formatted
            }
            items {
              quantity
              product {
                id
                title
              }
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

/** The signed-in user's orders, newest first, a page at a time. */
export function OrdersPage({
  offline = false,
}: {
  /** The shell cannot reach the gateway (the shop's offline notice says so): the page as last loaded shows without an error of its own. @default false */
  offline?: boolean;
}) {
  const headingId = useId();
  const [pages, setPages] = useState(FIRST_PAGE);
  const { data, previousData, loading, error, refetch } = useQuery(SHOP_ORDERS, {
    variables: { first: ORDERS_PAGE_SIZE, after: currentCursor(pages) ?? null },
    fetchPolicy: 'cache-and-network',
  });
  const orders = (data ?? previousData)?.me?.orders;
  return (
    <section className="shop-orders" aria-labelledby={headingId}>
      <PageHeading id={headingId}>Your orders</PageHeading>
      {!orders && loading && <p aria-busy="true">Loading your orders…</p>}
      {error && !loading && !(offline && data) && (
        <div role="alert" className="shop-error">
          <p>Your orders could not be loaded. {describeError(error)}</p>
          <button type="button" onClick={() => void refetch().catch(() => undefined)}>
            Try again
          </button>
        </div>
      )}
      {orders && orders.edges.length === 0 && (
        <p>
          No orders yet. <ShopLink to={{ page: 'catalogue' }}>Browse the catalogue</ShopLink>
        </p>
      )}
      {orders && orders.edges.length > 0 && (
        <>
          <ul className="shop-order-list" aria-label="Orders" aria-busy={loading}>
            {orders.edges.map(({ node: order }) => {
              const units = order.items.reduce((sum, item) => sum + item.quantity, 0);
              return (
                <li key={order.id} className="shop-order-summary">
                  <h3>
                    <ShopLink to={{ page: 'order', orderId: order.id }}>Order of {formatPlacedAt(order.placedAt)}</ShopLink>
                  </h3>
                  <p className={`shop-status shop-status-${order.status.toLowerCase()}`}>{ORDER_STATUS_LABEL[order.status]}</p>
                  <p className="shop-muted">
                    {units} {units === 1 ? 'item' : 'items'}: {order.items.map((item) => item.product.title).join(', ')}
                  </p>
                  <p className="shop-price">{order.total.formatted}</p>
                </li>
              );
            })}
          </ul>
          {(pages.cursors.length > 0 || orders.pageInfo.hasNextPage) && (
            <Pager label="Order pages" pages={pages} hasNextPage={orders.pageInfo.hasNextPage} endCursor={orders.pageInfo.endCursor} loading={loading} onChange={setPages} />
          )}
        </>
      )}
    </section>
  );
}
