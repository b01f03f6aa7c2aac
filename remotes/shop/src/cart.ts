import type { ApolloCache } from '@apollo/client';
import { graphql } from './gql';
import type { ShopCartFieldsFragment } from './gql/graphql';

/**
 * What the shop shows of a cart. Every cart mutation selects it too, and {@link writeCart} puts
 * the result where {@link SHOP_CART} reads it: a Cart has no id for the cache to merge it by.
 */
export const SHOP_CART_FIELDS = graphql(`
  fragment ShopCartFields on Cart {
    version
    itemCount
    total {
      formatted
    }
    items {
      quantity
      lineTotal {
        formatted
      }
      product {
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
  }
`);

/** The signed-in user's cart: the header's count and the cart page. */
export const SHOP_CART = graphql(`
  query ShopCart {
    cart {
      ...ShopCartFields
    }
  }
`);

/** Stores a cart a mutation returned as the cart of {@link SHOP_CART}, so that every view of it updates. */
export function writeCart(cache: ApolloCache, cart: ShopCartFieldsFragment): void {
  cache.writeQuery({ query: SHOP_CART, data: { __typename: 'Query', cart } });
}
