import { useId, useState } from 'react';
import { skipToken, useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { graphql } from './gql';
import type { OrderStatus } from './gql/graphql';
import { describeError, graphQLErrorCode } from './graphql-error';
import { formatPlacedAt, FULFILMENT_STEPS, isCancellable, isFinalStatus, ORDER_STATUS_LABEL } from './order-status';
import { firstImageUrl, ProductImage } from './product-image';
import { PageHeading, ShopLink } from './shop-navigation';

export const SHOP_ORDER = graphql(`
  query ShopOrder($id: ID!) {
    order(id: $id) {
      id
      status
      placedAt
      total {
        formatted
      }
      items {
        quantity
        unitPrice {
          formatted
        }
        lineTotal {
          formatted
        }
        product {
          id
          title
          images {
            id
            url
            thumbnailUrl
          }
        }
      }
    }
  }
`);

/** The order's status as it changes (the current one first); the cache merges it into the order by id. */
export const SHOP_ORDER_STATUS = graphql(`
  subscription ShopOrderStatus($orderId: ID!) {
    orderStatusChanged(orderId: $orderId) {
      id
      status
    }
  }
`);

export const SHOP_CANCEL_ORDER = graphql(`
  mutation ShopCancelOrder($orderId: ID!) {
    cancelOrder(orderId: $orderId) {
      id
      status
    }
  }
`);

/**
 * One order: its items and total, its status live (the `orderStatusChanged` subscription, until
 * the order is delivered or cancelled) on a timeline, and cancelling it while that is allowed.
 */
export function OrderPage({ orderId }: { orderId: string }) {
  const headingId = useId();
  // The order as saved at once, then as the server has it: the status subscription reports changes from now on only.
  const { data, loading, error, refetch } = useQuery(SHOP_ORDER, { variables: { id: orderId }, fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' });
  const order = data?.order;
  const live = useSubscription(SHOP_ORDER_STATUS, order && isFinalStatus(order.status) ? skipToken : { variables: { orderId } });
  const [cancelOrder, { loading: cancelling }] = useMutation(SHOP_CANCEL_ORDER);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  if (!order) {
    return (
      <section className="shop-order" aria-labelledby={headingId}>
        <PageHeading id={headingId}>{loading ? 'Loading order…' : 'Order not found'}</PageHeading>
        {!loading && error && (
          <div role="alert" className="shop-error">
            <p>The order could not be loaded. {describeError(error)}</p>
            <button type="button" onClick={() => void refetch().catch(() => undefined)}>
              Try again
            </button>
          </div>
        )}
        {!loading && !error && <p>There is no such order among yours.</p>}
        <p>
          <ShopLink to={{ page: 'orders' }}>Your orders</ShopLink>
        </p>
      </section>
    );
  }

  const cancel = async () => {
    if (cancelling) return;
    setProblem(null);
    try {
      await cancelOrder({ variables: { orderId } });
      setConfirming(false);
      document.getElementById(headingId)?.focus();
    } catch (failure) {
      setConfirming(false);
      if (graphQLErrorCode(failure) === 'CONFLICT') {
        setProblem('It is too late to cancel this order: it has already shipped.');
        await refetch().catch(() => undefined);
      } else {
        setProblem(`The order was not cancelled. ${describeError(failure)}`);
      }
    }
  };

  const step = (FULFILMENT_STEPS as readonly OrderStatus[]).indexOf(order.status);
  return (
    <article className="shop-order" aria-labelledby={headingId}>
      <p className="shop-back">
        <ShopLink to={{ page: 'orders' }}>Back to your orders</ShopLink>
      </p>
      <PageHeading id={headingId}>Order of {formatPlacedAt(order.placedAt)}</PageHeading>
      <p role="status" className="shop-order-status">
        Status: <strong className={`shop-status shop-status-${order.status.toLowerCase()}`}>{ORDER_STATUS_LABEL[order.status]}</strong>
      </p>
      {order.status === 'CANCELLED' ? (
        <p>This order was cancelled; its items went back into stock.</p>
      ) : (
        <ol className="shop-timeline" aria-label="Order progress">
          {FULFILMENT_STEPS.map((status, index) => (
            <li key={status} className={index <= step ? 'shop-step shop-step-done' : 'shop-step'} aria-current={index === step ? 'step' : undefined}>
              <span className="shop-step-marker" aria-hidden="true" />
              {ORDER_STATUS_LABEL[status]}
              <span className="shop-visually-hidden">{index < step ? ' (done)' : index === step ? ' (now)' : ' (to come)'}</span>
            </li>
          ))}
        </ol>
      )}
      {!isFinalStatus(order.status) && (
        <p className="shop-muted shop-live">
          {live.error ? (
            <>
              Live updates stopped.{' '}
              <button type="button" onClick={() => void refetch().catch(() => undefined)}>
                Refresh the status
              </button>
            </>
          ) : (
            'The status updates live.'
          )}
        </p>
      )}
      {problem && (
        <p role="alert" className="shop-feedback shop-feedback-error">
          {problem}
        </p>
      )}
      {isCancellable(order.status) &&
        (confirming ? (
          <div className="shop-confirm" role="group" aria-label="Cancel this order?">
            <p>Cancel this order? Its items go back into stock.</p>
            <button type="button" className="shop-danger" aria-disabled={cancelling} onClick={() => void cancel()}>
              {cancelling ? 'Cancelling…' : 'Yes, cancel the order'}
            </button>
            <button type="button" autoFocus onClick={() => setConfirming(false)}>
              Keep the order
            </button>
          </div>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Cancel order
          </button>
        ))}
      <h3>Items</h3>
      <ul className="shop-order-items" aria-label="Items in this order">
        {order.items.map((item) => (
          <li key={item.product.id} className="shop-order-item">
            <ProductImage url={firstImageUrl(item.product.images, 'thumbnail')} />
            <div>
              <ShopLink to={{ page: 'product', productId: item.product.id }}>{item.product.title}</ShopLink>
              <p className="shop-muted">
                {item.quantity} × {item.unitPrice.formatted}
              </p>
            </div>
            <p className="shop-price">{item.lineTotal.formatted}</p>
          </li>
        ))}
      </ul>
      <p className="shop-cart-total">
        <span>Total</span> <strong>{order.total.formatted}</strong>
      </p>
    </article>
  );
}
