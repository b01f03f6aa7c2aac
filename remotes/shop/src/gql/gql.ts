/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation ShopUpdateCartItem($productId: ID!, $quantity: Int!, $expectedVersion: Int) {\n    updateCartItem(productId: $productId, quantity: $quantity, expectedVersion: $expectedVersion) {\n      ...ShopCartFields\n    }\n  }\n": typeof types.ShopUpdateCartItemDocument,
    "\n  mutation ShopRemoveFromCart($productId: ID!) {\n    removeFromCart(productId: $productId) {\n      ...ShopCartFields\n    }\n  }\n": typeof types.ShopRemoveFromCartDocument,
    "\n  mutation ShopCheckout($clientMutationId: String!) {\n    checkout(clientMutationId: $clientMutationId) {\n      id\n      status\n      placedAt\n      total {\n        formatted\n      }\n    }\n  }\n": typeof types.ShopCheckoutDocument,
    "\n  fragment ShopCartFields on Cart {\n    version\n    itemCount\n    total {\n      formatted\n    }\n    items {\n      quantity\n      lineTotal {\n        formatted\n      }\n      product {\n        id\n        title\n        stock\n        price {\n          formatted\n        }\n        images {\n          id\n          url\n          thumbnailUrl\n        }\n      }\n    }\n  }\n": typeof types.ShopCartFieldsFragmentDoc,
    "\n  query ShopCart {\n    cart {\n      ...ShopCartFields\n    }\n  }\n": typeof types.ShopCartDocument,
    "\n  query ShopProducts($search: String, $first: Int!, $after: String) {\n    products(search: $search, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          stock\n          price {\n            formatted\n          }\n          images {\n            id\n            url\n            thumbnailUrl\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ShopProductsDocument,
    "\n  query ShopOrder($id: ID!) {\n    order(id: $id) {\n      id\n      status\n      placedAt\n      total {\n        formatted\n      }\n      items {\n        quantity\n        unitPrice {\n          formatted\n        }\n        lineTotal {\n          formatted\n        }\n        product {\n          id\n          title\n          images {\n            id\n            url\n            thumbnailUrl\n          }\n        }\n      }\n    }\n  }\n": typeof types.ShopOrderDocument,
    "\n  subscription ShopOrderStatus($orderId: ID!) {\n    orderStatusChanged(orderId: $orderId) {\n      id\n      status\n    }\n  }\n": typeof types.ShopOrderStatusDocument,
    "\n  mutation ShopCancelOrder($orderId: ID!) {\n    cancelOrder(orderId: $orderId) {\n      id\n      status\n    }\n  }\n": typeof types.ShopCancelOrderDocument,
    "\n  query ShopOrders($first: Int!, $after: String) {\n    me {\n      id\n      orders(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            status\n            placedAt\n            total {\n              formatted\n            }\n            items {\n              quantity\n              product {\n                id\n                title\n              }\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.ShopOrdersDocument,
    "\n  query ShopProduct($id: ID!) {\n    product(id: $id) {\n      id\n      title\n      description\n      stock\n      price {\n        formatted\n      }\n      images {\n        id\n        title\n        url\n        thumbnailUrl\n      }\n    }\n  }\n": typeof types.ShopProductDocument,
    "\n  mutation ShopAddToCart($productId: ID!, $quantity: Int!, $clientMutationId: String) {\n    addToCart(productId: $productId, quantity: $quantity, clientMutationId: $clientMutationId) {\n      ...ShopCartFields\n    }\n  }\n": typeof types.ShopAddToCartDocument,
};
const documents: Documents = {
    "\n  mutation ShopUpdateCartItem($productId: ID!, $quantity: Int!, $expectedVersion: Int) {\n    updateCartItem(productId: $productId, quantity: $quantity, expectedVersion: $expectedVersion) {\n      ...ShopCartFields\n    }\n  }\n": types.ShopUpdateCartItemDocument,
    "\n  mutation ShopRemoveFromCart($productId: ID!) {\n    removeFromCart(productId: $productId) {\n      ...ShopCartFields\n    }\n  }\n": types.ShopRemoveFromCartDocument,
    "\n  mutation ShopCheckout($clientMutationId: String!) {\n    checkout(clientMutationId: $clientMutationId) {\n      id\n      status\n      placedAt\n      total {\n        formatted\n      }\n    }\n  }\n": types.ShopCheckoutDocument,
    "\n  fragment ShopCartFields on Cart {\n    version\n    itemCount\n    total {\n      formatted\n    }\n    items {\n      quantity\n      lineTotal {\n        formatted\n      }\n      product {\n        id\n        title\n        stock\n        price {\n          formatted\n        }\n        images {\n          id\n          url\n          thumbnailUrl\n        }\n      }\n    }\n  }\n": types.ShopCartFieldsFragmentDoc,
    "\n  query ShopCart {\n    cart {\n      ...ShopCartFields\n    }\n  }\n": types.ShopCartDocument,
    "\n  query ShopProducts($search: String, $first: Int!, $after: String) {\n    products(search: $search, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          stock\n          price {\n            formatted\n          }\n          images {\n            id\n            url\n            thumbnailUrl\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ShopProductsDocument,
    "\n  query ShopOrder($id: ID!) {\n    order(id: $id) {\n      id\n      status\n      placedAt\n      total {\n        formatted\n      }\n      items {\n        quantity\n        unitPrice {\n          formatted\n        }\n        lineTotal {\n          formatted\n        }\n        product {\n          id\n          title\n          images {\n            id\n            url\n            thumbnailUrl\n          }\n        }\n      }\n    }\n  }\n": types.ShopOrderDocument,
    "\n  subscription ShopOrderStatus($orderId: ID!) {\n    orderStatusChanged(orderId: $orderId) {\n      id\n      status\n    }\n  }\n": types.ShopOrderStatusDocument,
    "\n  mutation ShopCancelOrder($orderId: ID!) {\n    cancelOrder(orderId: $orderId) {\n      id\n      status\n    }\n  }\n": types.ShopCancelOrderDocument,
    "\n  query ShopOrders($first: Int!, $after: String) {\n    me {\n      id\n      orders(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            status\n            placedAt\n            total {\n              formatted\n            }\n            items {\n              quantity\n              product {\n                id\n                title\n              }\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.ShopOrdersDocument,
    "\n  query ShopProduct($id: ID!) {\n    product(id: $id) {\n      id\n      title\n      description\n      stock\n      price {\n        formatted\n      }\n      images {\n        id\n        title\n        url\n        thumbnailUrl\n      }\n    }\n  }\n": types.ShopProductDocument,
    "\n  mutation ShopAddToCart($productId: ID!, $quantity: Int!, $clientMutationId: String) {\n    addToCart(productId: $productId, quantity: $quantity, clientMutationId: $clientMutationId) {\n      ...ShopCartFields\n    }\n  }\n": types.ShopAddToCartDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ShopUpdateCartItem($productId: ID!, $quantity: Int!, $expectedVersion: Int) {\n    updateCartItem(productId: $productId, quantity: $quantity, expectedVersion: $expectedVersion) {\n      ...ShopCartFields\n    }\n  }\n"): (typeof documents)["\n  mutation ShopUpdateCartItem($productId: ID!, $quantity: Int!, $expectedVersion: Int) {\n    updateCartItem(productId: $productId, quantity: $quantity, expectedVersion: $expectedVersion) {\n      ...ShopCartFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ShopRemoveFromCart($productId: ID!) {\n    removeFromCart(productId: $productId) {\n      ...ShopCartFields\n    }\n  }\n"): (typeof documents)["\n  mutation ShopRemoveFromCart($productId: ID!) {\n    removeFromCart(productId: $productId) {\n      ...ShopCartFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ShopCheckout($clientMutationId: String!) {\n    checkout(clientMutationId: $clientMutationId) {\n      id\n      status\n      placedAt\n      total {\n        formatted\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ShopCheckout($clientMutationId: String!) {\n    checkout(clientMutationId: $clientMutationId) {\n      id\n      status\n      placedAt\n      total {\n        formatted\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ShopCartFields on Cart {\n    version\n    itemCount\n    total {\n      formatted\n    }\n    items {\n      quantity\n      lineTotal {\n        formatted\n      }\n      product {\n        id\n        title\n        stock\n        price {\n          formatted\n        }\n        images {\n          id\n          url\n          thumbnailUrl\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment ShopCartFields on Cart {\n    version\n    itemCount\n    total {\n      formatted\n    }\n    items {\n      quantity\n      lineTotal {\n        formatted\n      }\n      product {\n        id\n        title\n        stock\n        price {\n          formatted\n        }\n        images {\n          id\n          url\n          thumbnailUrl\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShopCart {\n    cart {\n      ...ShopCartFields\n    }\n  }\n"): (typeof documents)["\n  query ShopCart {\n    cart {\n      ...ShopCartFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShopProducts($search: String, $first: Int!, $after: String) {\n    products(search: $search, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          stock\n          price {\n            formatted\n          }\n          images {\n            id\n            url\n            thumbnailUrl\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ShopProducts($search: String, $first: Int!, $after: String) {\n    products(search: $search, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          stock\n          price {\n            formatted\n          }\n          images {\n            id\n            url\n            thumbnailUrl\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShopOrder($id: ID!) {\n    order(id: $id) {\n      id\n      status\n      placedAt\n      total {\n        formatted\n      }\n      items {\n        quantity\n        unitPrice {\n          formatted\n        }\n        lineTotal {\n          formatted\n        }\n        product {\n          id\n          title\n          images {\n            id\n            url\n            thumbnailUrl\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ShopOrder($id: ID!) {\n    order(id: $id) {\n      id\n      status\n      placedAt\n      total {\n        formatted\n      }\n      items {\n        quantity\n        unitPrice {\n          formatted\n        }\n        lineTotal {\n          formatted\n        }\n        product {\n          id\n          title\n          images {\n            id\n            url\n            thumbnailUrl\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ShopOrderStatus($orderId: ID!) {\n    orderStatusChanged(orderId: $orderId) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  subscription ShopOrderStatus($orderId: ID!) {\n    orderStatusChanged(orderId: $orderId) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ShopCancelOrder($orderId: ID!) {\n    cancelOrder(orderId: $orderId) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation ShopCancelOrder($orderId: ID!) {\n    cancelOrder(orderId: $orderId) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShopOrders($first: Int!, $after: String) {\n    me {\n      id\n      orders(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            status\n            placedAt\n            total {\n              formatted\n            }\n            items {\n              quantity\n              product {\n                id\n                title\n              }\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ShopOrders($first: Int!, $after: String) {\n    me {\n      id\n      orders(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            status\n            placedAt\n            total {\n              formatted\n            }\n            items {\n              quantity\n              product {\n                id\n                title\n              }\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShopProduct($id: ID!) {\n    product(id: $id) {\n      id\n      title\n      description\n      stock\n      price {\n        formatted\n      }\n      images {\n        id\n        title\n        url\n        thumbnailUrl\n      }\n    }\n  }\n"): (typeof documents)["\n  query ShopProduct($id: ID!) {\n    product(id: $id) {\n      id\n      title\n      description\n      stock\n      price {\n        formatted\n      }\n      images {\n        id\n        title\n        url\n        thumbnailUrl\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ShopAddToCart($productId: ID!, $quantity: Int!, $clientMutationId: String) {\n    addToCart(productId: $productId, quantity: $quantity, clientMutationId: $clientMutationId) {\n      ...ShopCartFields\n    }\n  }\n"): (typeof documents)["\n  mutation ShopAddToCart($productId: ID!, $quantity: Int!, $clientMutationId: String) {\n    addToCart(productId: $productId, quantity: $quantity, clientMutationId: $clientMutationId) {\n      ...ShopCartFields\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;