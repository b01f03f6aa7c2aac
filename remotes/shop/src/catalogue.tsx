import { useEffect, useId, useRef, useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { graphql } from './gql';
import { describeError } from './graphql-error';
import { currentCursor, FIRST_PAGE, Pager, type CursorPages } from './pager';
import { firstImageUrl, ProductImage } from './product-image';
import { PageHeading, ShopLink } from './shop-navigation';
import { stockLabel } from './stock';
import { useDebouncedValue } from './use-debounced-value';

/** Products per catalogue page. */
export const CATALOGUE_PAGE_SIZE = 6;
/** How long the search box waits for the typing to pause before it searches. */
export const SEARCH_DEBOUNCE_MS = 300;

export const SHOP_PRODUCTS = graphql(`
  query ShopProducts($search: String, $first: Int!, $after: String) {
    products(search: $search, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          title
          stock
          price {
            formatted
          }
          images {
            id
            url
            thumbnailUrl
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** The search and the page of the catalogue: kept by the app, so that coming back from a product shows the same page. */
export interface CatalogueState {
  search: string;
  pages: CursorPages;
}

export const INITIAL_CATALOGUE: CatalogueState = { search: '', pages: FIRST_PAGE };

/**
 * The catalogue: a search box (searching as the typing pauses, or at once on Enter) and one page
 * of products at a time. While the next page loads, the current one stays in place, dimmed.
 */
export function Catalogue({
  state,
  onChange,
  offline = false,
}: {
  state: CatalogueState;
  onChange: (state: CatalogueState) => void;
  /** The shell cannot reach the gateway (the shop's offline notice says so): the page as last loaded shows without an error of its own. @default false */
  offline?: boolean;
}) {
  const searchId = useId();
  const [draft, setDraft] = useState(state.search);
  const settled = useDebouncedValue(draft.trim(), SEARCH_DEBOUNCE_MS);
  const lastSettled = useRef(settled);
  useEffect(() => {
    if (settled === lastSettled.current) return;
    lastSettled.current = settled;
    if (settled !== state.search) onChange({ search: settled, pages: FIRST_PAGE });
  });

  const { data, previousData, loading, error, refetch } = useQuery(SHOP_PRODUCTS, {
    variables: { search: state.search || null, first: CATALOGUE_PAGE_SIZE, after: currentCursor(state.pages) ?? null },
    fetchPolicy: 'cache-and-network',
  });
  const shown = (data ?? previousData)?.products;
  const products = shown?.edges.map((edge) => edge.node) ?? [];
  const pageNumber = state.pages.cursors.length + 1;

  let status: string;
  if (!shown && loading) status = 'Loading products…';
  else if (!shown) status = '';
  else if (!data && loading) status = `Loading page ${pageNumber}…`;
  else if (!data && error) status = '';
  else if (products.length === 0) status = state.search ? `No products match “${state.search}”.` : 'The catalogue is empty.';
  else status = `Page ${pageNumber}: ${products.length} ${products.length === 1 ? 'product' : 'products'}${state.search ? ` matching “${state.search}”` : ''}.`;

  return (
    <section className="shop-catalogue" aria-labelledby={`${searchId}-heading`}>
      <PageHeading id={`${searchId}-heading`}>Catalogue</PageHeading>
      <form
        role="search"
        className="shop-search"
        onSubmit={(event) => {
          event.preventDefault();
          const search = draft.trim();
          lastSettled.current = search;
          if (search !== state.search) onChange({ search, pages: FIRST_PAGE });
        }}
      >
        <label htmlFor={searchId}>Search products</label>
        <input id={searchId} type="search" value={draft} maxLength={100} autoComplete="off" onChange={(event) => setDraft(event.target.value)} />
        <button type="submit">Search</button>
      </form>
      <p className="shop-results-status" role="status">
        {status}
      </p>
      {error && !loading && !(offline && data) && (
        <div role="alert" className="shop-error">
          <p>The catalogue could not be loaded. {describeError(error)}</p>
          <button type="button" onClick={() => void refetch().catch(() => undefined)}>
            Try again
          </button>
        </div>
      )}
      <ul className="shop-grid" aria-label="Products" aria-busy={loading}>
        {shown
          ? products.map((product) => (
              <li key={product.id} className="shop-card">
                <ProductImage url={firstImageUrl(product.images, 'thumbnail')} />
                <h3 className="shop-card-title">
                  <ShopLink to={{ page: 'product', productId: product.id }} className="shop-card-link">
                    {product.title}
                  </ShopLink>
                </h3>
                <p className="shop-price">{product.price.formatted}</p>
                <p className={product.stock > 0 ? 'shop-stock' : 'shop-stock shop-stock-out'}>{stockLabel(product.stock)}</p>
              </li>
            ))
          : loading &&
            Array.from({ length: CATALOGUE_PAGE_SIZE }, (_, index) => (
              <li key={index} className="shop-card shop-card-placeholder" aria-hidden="true">
                <span className="shop-image" />
              </li>
            ))}
      </ul>
      <Pager
        label="Catalogue pages"
        pages={state.pages}
        hasNextPage={shown?.pageInfo.hasNextPage ?? false}
        endCursor={shown?.pageInfo.endCursor}
        loading={loading}
        onChange={(pages) => onChange({ ...state, pages })}
      />
    </section>
  );
}
