import { useId, useRef, useState } from 'react';
import { CombinedGraphQLErrors } from '@apollo/client';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { SHOP_CART, writeCart } from './cart';
import { graphql } from './gql';
import { describeError, graphQLErrorCode } from './graphql-error';
import { firstImageUrl, ProductImage } from './product-image';
import { MAX_LINE_QUANTITY } from './product-page';
import { PageHeading, ShopLink, useShopNavigation } from './shop-navigation';

export const SHOP_UPDATE_CART_ITEM = graphql(`
  mutation ShopUpdateCartItem($productId: ID!, $quantity: Int!, $expectedVersion: Int) {
    updateCartItem(productId: $productId, quantity: $quantity, expectedVersion: $expectedVersion) {
      ...ShopCartFields
    }
  }
`);

export const SHOP_REMOVE_FROM_CART = graphql(`
  mutation ShopRemoveFromCart($productId: ID!) {
    removeFromCart(productId: $productId) {
      ...ShopCartFields
    }
  }
`);

export const SHOP_CHECKOUT = graphql(`
  mutation ShopCheckout($clientMutationId: String!) {
    checkout(clientMutationId: $clientMutationId) {
      id
      status
      placedAt
      total {
        formatted
      }
    }
  }
`);

/** Whether a CONFLICT is the cart's version check (rather than the stock). */
function isStaleCart(error: unknown): boolean {
  return CombinedGraphQLErrors.is(error) && error.errors.some((graphQLError) => graphQLError.extensions?.currentVersion !== undefined);
}

/**
 * The cart: each line with its quantity (changed with the cart's version, so an edit made
 * elsewhere meanwhile is refused rather than overwritten), removal, the total, and checkout.
 */
export function CartPage() {
  const headingId = useId();
  const navigation = useShopNavigation();
  const client = useApolloClient();
  const { data, loading, error, refetch } = useQuery(SHOP_CART, { fetchPolicy: 'cache-and-network' });
  const [updateCartItem] = useMutation(SHOP_UPDATE_CART_ITEM, {
    update: (cache, { data: changed }) => {
      if (changed) writeCart(cache, changed.updateCartItem);
    },
  });
  const [removeFromCart] = useMutation(SHOP_REMOVE_FROM_CART, {
    update: (cache, { data: changed }) => {
      if (changed) writeCart(cache, changed.removeFromCart);
    },
  });
  const [checkout, { loading: checkingOut }] = useMutation(SHOP_CHECKOUT, { refetchQueries: [{ query: SHOP_CART }] });
  /** Quantities chosen whose change has not been answered yet, by product id. */
  const [pending, setPending] = useState<Record<string, number>>({});
  const [problem, setProblem] = useState<string | null>(null);
  /** Cart edits run one after the other, each with the version the one before left. */
  const edits = useRef<Promise<void>>(Promise.resolve());
  /** One clientMutationId per version of the cart: checking out the same cart again (after a lost answer) returns the same order. */
  const checkoutAttempt = useRef<{ version: number; clientMutationId: string } | null>(null);
  const cart = data?.cart;

  const edit = (run: () => Promise<void>) => {
    edits.current = edits.current.then(run, run);
  };

  const reloadAfter = async (message: string) => {
    setProblem(message);
    await refetch().catch(() => undefined);
  };

  /** The quantity of a product in the cart as the cache holds it (undefined: not in the cart). */
  const quantityIn = (cart: { items: readonly { quantity: number; product: { id: string } }[] } | null | undefined, productId: string) =>
    cart?.items.find((line) => line.product.id === productId)?.quantity;

  const changeQuantity = (productId: string, title: string, quantity: number) => {
    setProblem(null);
    setPending((current) => ({ ...current, [productId]: quantity }));
    edit(async () => {
      const seen = client.readQuery({ query: SHOP_CART })?.cart;
      const send = (expectedVersion: number | null) => updateCartItem({ variables: { productId, quantity, expectedVersion } });
      try {
        try {
          await send(seen?.version ?? null);
        } catch (failure) {
          if (!isStaleCart(failure)) throw failure;
          // The cart changed on another device. Merge where it is safe (docs/mini-apps.md, Conflicts):
          // when this line is still as the user saw it, the other device changed other lines only, and
          // setting this quantity on the new version keeps both; otherwise the cart as it is now wins.
          const { data: fresh } = await refetch();
          const now = quantityIn(fresh?.cart, productId);
          if (fresh?.cart && now === quantityIn(seen, productId)) await send(fresh.cart.version);
          else setProblem(`Your cart was changed on another device: ${title} ${now === undefined ? 'is no longer in it' : `is now ${now}`}, so your change to ${quantity} was not saved. This is your cart as it is now.`);
        }
      } catch (failure) {
        if (isStaleCart(failure)) await reloadAfter(`Your cart was changed somewhere else, so ${title} was not changed. This is your cart as it is now: check it and try again.`);
        else if (graphQLErrorCode(failure) === 'CONFLICT') await reloadAfter(`${title} was not changed. ${describeError(failure)}`);
        else setProblem(`${title} was not changed. ${describeError(failure)}`);
      } finally {
        setPending((current) => {
          if (current[productId] !== quantity) return current;
          const { [productId]: _done, ...rest } = current;
          return rest;
        });
      }
    });
  };

  const remove = (productId: string, title: string) => {
    setProblem(null);
    edit(async () => {
      try {
        await removeFromCart({ variables: { productId } });
        document.getElementById(headingId)?.focus();
      } catch (failure) {
        setProblem(`${title} was not removed. ${describeError(failure)}`);
      }
    });
  };

  const placeOrder = async () => {
    if (checkingOut) return;
    setProblem(null);
    await edits.current;
    const version = client.readQuery({ query: SHOP_CART })?.cart?.version ?? -1;
    if (checkoutAttempt.current?.version !== version) checkoutAttempt.current = { version, clientMutationId: crypto.randomUUID() };
    try {
      const result = await checkout({ variables: { clientMutationId: checkoutAttempt.current.clientMutationId } });
      if (result.data) navigation.navigate({ page: 'order', orderId: result.data.checkout.id });
    } catch (failure) {
      const code = graphQLErrorCode(failure);
      if (code === 'BAD_USER_INPUT') await reloadAfter('Your cart is empty: add something from the catalogue first.');
      else if (code === 'CONFLICT') await reloadAfter(`Not everything in your cart is available. ${describeError(failure)} Change the quantity or remove it, then check out again.`);
      else if (code) setProblem(`The order was not placed. ${describeError(failure)}`);
      // No answer: it may have been placed. Checking out the same cart again (same clientMutationId) never orders it twice.
      else setProblem('No answer from the shop: your order may or may not have been placed. Check out again when the connection is back: the same cart is never ordered twice.');
    }
  };

  if (!cart) {
    return (
      <section className="shop-cart" aria-labelledby={headingId}>
        <PageHeading id={headingId}>Your cart</PageHeading>
        {loading ? (
          <p aria-busy="true">Loading your cart…</p>
        ) : (
          <div role="alert" className="shop-error">
            <p>Your cart could not be loaded. {error ? describeError(error) : ''}</p>
            <button type="button" onClick={() => void refetch().catch(() => undefined)}>
              Try again
            </button>
          </div>
        )}
      </section>
    );
  }

  return (
    <section className="shop-cart" aria-labelledby={headingId}>
      <PageHeading id={headingId}>Your cart</PageHeading>
      {problem && (
        <p role="alert" className="shop-feedback shop-feedback-error">
          {problem}
        </p>
      )}
      {cart.items.length === 0 ? (
        <p>
          Your cart is empty. <ShopLink to={{ page: 'catalogue' }}>Browse the catalogue</ShopLink>
        </p>
      ) : (
        <>
          <ul className="shop-cart-lines" aria-label="Items in your cart">
            {cart.items.map(({ product, quantity, lineTotal }) => {
              const shown = pending[product.id] ?? quantity;
              const most = Math.max(shown, Math.min(MAX_LINE_QUANTITY, product.stock));
              return (
                <li key={product.id} className="shop-cart-line">
                  <ProductImage url={firstImageUrl(product.images, 'thumbnail')} />
                  <div className="shop-cart-line-main">
                    <h3 className="shop-cart-line-title">
                      <ShopLink to={{ page: 'product', productId: product.id }}>{product.title}</ShopLink>
                    </h3>
                    <p className="shop-muted">{product.price.formatted} each</p>
                    {product.stock < quantity && <p className="shop-stock shop-stock-out">Only {product.stock} left in stock</p>}
                  </div>
                  <label className="shop-cart-quantity">
                    <span>
                      Quantity<span className="shop-visually-hidden"> of {product.title}</span>
                    </span>
                    <select value={shown} onChange={(event) => changeQuantity(product.id, product.title, Number(event.target.value))}>
                      {Array.from({ length: most }, (_, index) => index + 1).map((option) => (
                        <option key={option} value={option}>
                          {option}
                        </option>
                      ))}
                    </select>
                  </label>
                  <p className="shop-cart-line-total">
                    <span className="shop-visually-hidden">Line total: </span>
                    {lineTotal.formatted}
                  </p>
                  <button type="button" className="shop-remove" aria-label={`Remove ${product.title}`} onClick={() => remove(product.id, product.title)}>
                    Remove
                  </button>
                </li>
              );
            })}
          </ul>
          <p className="shop-cart-total" role="status" aria-busy={Object.keys(pending).length > 0}>
            <span>
              Total ({cart.itemCount} {cart.itemCount === 1 ? 'item' : 'items'})
            </span>{' '}
            <strong>{cart.total.formatted}</strong>
          </p>
          <button type="button" className="primary shop-checkout" aria-disabled={checkingOut} onClick={() => void placeOrder()}>
            {checkingOut ? 'Placing your order…' : 'Check out'}
          </button>
        </>
      )}
    </section>
  );
}
