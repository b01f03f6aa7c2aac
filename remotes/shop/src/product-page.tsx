import { useId, useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { ApolloCache, ApolloClient } from '@apollo/client';
import { SdkErrorCode, type MiniAppContext } from '@mega/mini-app-sdk';
import { writeCart } from './cart';
import { graphql } from './gql';
import type { ShopAddToCartMutation } from './gql/graphql';
import { describeError } from './graphql-error';
import { ProductImage } from './product-image';
import { sdkErrorCode } from './sdk-error';
import { PageHeading, ShopLink } from './shop-navigation';
import { stockLabel } from './stock';

/** The most units of a product one cart line holds (the commerce subgraph's limit). */
export const MAX_LINE_QUANTITY = 99;

export const SHOP_PRODUCT = graphql(`
  query ShopProduct($id: ID!) {
    product(id: $id) {
      id
      title
      description
      stock
      price {
        formatted
      }
      images {
        id
        title
        url
        thumbnailUrl
      }
    }
  }
`);

export const SHOP_ADD_TO_CART = graphql(`
  mutation ShopAddToCart($productId: ID!, $quantity: Int!, $clientMutationId: String) {
    addToCart(productId: $productId, quantity: $quantity, clientMutationId: $clientMutationId) {
      ...ShopCartFields
    }
  }
`);

type Feedback = { kind: 'success' | 'error' | 'waiting'; text: string } | null;

/** After this long an add still not answered is said to wait (in the shell's outbox, offline). */
const OUTBOX_WAITING_MS = 1500;

/** Puts the cart an add returned where every view of the cart reads it (also for adds sent from the outbox after a reload). */
export function updateCartAfterAdd(cache: ApolloCache, { data }: { data?: ShopAddToCartMutation | null }): void {
  if (data) writeCart(cache, data.addToCart);
}

/** Where sharing the product into a chat stands. */
type Sharing = { state: 'idle' } | { state: 'sharing' } | { state: 'shared'; conversationId: string } | { state: 'failed'; message: string };

/**
 * One product: its pictures, description, price and stock; adding a quantity to the cart; and
 * sharing it into a conversation through the chat mini-app (the `share-product` intent).
 */
export function ProductPage({ productId, context }: { productId: string; context: MiniAppContext<ApolloClient> }) {
  const quantityId = useId();
  const { data, loading, error, refetch } = useQuery(SHOP_PRODUCT, { variables: { id: productId }, fetchPolicy: 'cache-and-network' });
  const [addToCart] = useMutation(SHOP_ADD_TO_CART, { update: updateCartAfterAdd });
  const [adding, setAdding] = useState(false);
  const [quantity, setQuantity] = useState('1');
  const [feedback, setFeedback] = useState<Feedback>(null);
  const [sharing, setSharing] = useState<Sharing>({ state: 'idle' });
  const [picture, setPicture] = useState(0);

  const product = data?.product;
  if (!product) {
    return (
      <section className="shop-product">
        <PageHeading>{loading ? 'Loading product…' : 'Product not found'}</PageHeading>
        {!loading && error && (
          <div role="alert" className="shop-error">
            <p>The product could not be loaded. {describeError(error)}</p>
            <button type="button" onClick={() => void refetch().catch(() => undefined)}>
              Try again
            </button>
          </div>
        )}
        {!loading && !error && <p>This product does not exist, or is no longer sold.</p>}
        <p>
          <ShopLink to={{ page: 'catalogue' }}>Back to the catalogue</ShopLink>
        </p>
      </section>
    );
  }

  const images = product.images.filter((image): image is NonNullable<typeof image> => image !== null && !!(image.url ?? image.thumbnailUrl));
  const shownImage = images[Math.min(picture, images.length - 1)];
  const maxQuantity = Math.min(MAX_LINE_QUANTITY, product.stock);

  const add = async () => {
    if (adding) return;
    const units = Number(quantity);
    if (!Number.isInteger(units) || units < 1 || units > maxQuantity) {
      setFeedback({ kind: 'error', text: `Choose a quantity from 1 to ${maxQuantity}.` });
      return;
    }
    setFeedback(null);
    setAdding(true);
    // Kept in the shell's outbox while the gateway cannot be reached, and added when it can (same clientMutationId: once).
    const added = addToCart({ variables: { productId: product.id, quantity: units, clientMutationId: crypto.randomUUID() }, context: { outbox: true } });
    const waiting = setTimeout(() => {
      setAdding(false);
      setFeedback({ kind: 'waiting', text: `${units} × ${product.title}: waiting to be added to your cart (no connection; it is sent when the connection is back).` });
    }, OUTBOX_WAITING_MS);
    try {
      await added;
      setFeedback({ kind: 'success', text: `Added ${units} × ${product.title} to your cart.` });
    } catch (failure) {
      setFeedback({ kind: 'error', text: `${product.title} was not added to your cart. ${describeError(failure)}` });
    } finally {
      clearTimeout(waiting);
      setAdding(false);
    }
  };

  const share = async () => {
    setSharing({ state: 'sharing' });
    try {
      const { conversationId } = await context.intents.dispatch('share-product', { productId: product.id });
      context.notifications.notify({ kind: 'success', message: `${product.title} was shared in chat.` });
      setSharing({ state: 'shared', conversationId });
    } catch (failure) {
      const code = sdkErrorCode(failure);
      if (code === SdkErrorCode.INTENT_CANCELLED) setSharing({ state: 'idle' });
      else if (code === SdkErrorCode.NO_INTENT_HANDLER) setSharing({ state: 'failed', message: 'Sharing in chat is not available right now: the chat mini-app is not loaded.' });
      else setSharing({ state: 'failed', message: `The product could not be shared. ${failure instanceof Error ? failure.message : ''}`.trim() });
    }
  };

  const openConversation = async (conversationId: string) => {
    try {
      await context.intents.dispatch('open-conversation', { conversationId });
    } catch (failure) {
      if (sdkErrorCode(failure) === SdkErrorCode.INTENT_CANCELLED) return;
      setSharing({ state: 'failed', message: 'The conversation could not be opened: the chat mini-app is not available right now.' });
    }
  };

  return (
    <article className="shop-product">
      <p className="shop-back">
        <ShopLink to={{ page: 'catalogue' }}>Back to the catalogue</ShopLink>
      </p>
      <PageHeading>{product.title}</PageHeading>
      <div className="shop-product-layout">
        <div className="shop-gallery">
          <ProductImage
            className="shop-gallery-main"
            url={shownImage ? (shownImage.url ?? shownImage.thumbnailUrl ?? undefined) : undefined}
            alt={images.length > 1 ? `${product.title}, picture ${images.indexOf(shownImage!) + 1} of ${images.length}` : product.title}
          />
          {images.length > 1 && (
            <ul className="shop-gallery-thumbnails" aria-label="Pictures">
              {images.map((image, index) => (
                <li key={image.id}>
                  <button type="button" aria-label={`Show picture ${index + 1} of ${images.length}`} aria-pressed={image === shownImage} onClick={() => setPicture(index)}>
                    <ProductImage url={image.thumbnailUrl ?? image.url ?? undefined} />
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="shop-product-details">
          <p className="shop-price shop-price-large">{product.price.formatted}</p>
          <p className={product.stock > 0 ? 'shop-stock' : 'shop-stock shop-stock-out'}>{stockLabel(product.stock)}</p>
          <p className="shop-description">{product.description}</p>
          <form
            className="shop-add-form"
            onSubmit={(event) => {
              event.preventDefault();
              void add();
            }}
          >
            <label htmlFor={quantityId}>Quantity</label>
            <input
              id={quantityId}
              type="number"
              inputMode="numeric"
              min={1}
              max={Math.max(1, maxQuantity)}
              value={quantity}
              disabled={product.stock === 0}
              onChange={(event) => setQuantity(event.target.value)}
            />
            <button type="submit" className="primary" aria-disabled={adding || product.stock === 0} disabled={product.stock === 0}>
              {adding ? 'Adding…' : 'Add to cart'}
            </button>
          </form>
          <p role="status" className="shop-feedback">
            {feedback?.kind === 'waiting' && feedback.text}
            {feedback?.kind === 'success' && (
              <>
                {feedback.text} <ShopLink to={{ page: 'cart' }}>View your cart</ShopLink>
              </>
            )}
          </p>
          {feedback?.kind === 'error' && (
            <p role="alert" className="shop-feedback shop-feedback-error">
              {feedback.text}
            </p>
          )}
          <button type="button" className="shop-share" aria-disabled={sharing.state === 'sharing'} onClick={() => sharing.state !== 'sharing' && void share()}>
            Share in chat
          </button>
          <p role="status" className="shop-feedback">
            {sharing.state === 'shared' && (
              <>
                Shared in chat.{' '}
                <button type="button" onClick={() => void openConversation(sharing.conversationId)}>
                  Open the conversation
                </button>
              </>
            )}
          </p>
          {sharing.state === 'failed' && (
            <p role="alert" className="shop-feedback shop-feedback-error">
              {sharing.message}
            </p>
          )}
        </div>
      </div>
    </article>
  );
}
