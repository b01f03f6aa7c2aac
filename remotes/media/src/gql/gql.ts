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
    "\n  fragment MediaAssetFields on MediaAsset {\n    id\n    kind\n    title\n    mimeType\n    byteSize\n    width\n    height\n    durationMs\n    visibility\n    createdAt\n    version\n    url\n    thumbnailUrl\n  }\n": typeof types.MediaAssetFieldsFragmentDoc,
    "\n  query MediaLibrary($first: Int!, $after: String) {\n    myMedia(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...MediaAssetFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.MediaLibraryDocument,
    "\n  query MediaAsset($id: ID!) {\n    mediaAsset(id: $id) {\n      ...MediaAssetFields\n    }\n  }\n": typeof types.MediaAssetDocument,
    "\n  mutation RenameMediaAsset($id: ID!, $title: String!, $expectedVersion: Int) {\n    updateMediaAsset(id: $id, input: { title: $title }, expectedVersion: $expectedVersion) {\n      ...MediaAssetFields\n    }\n  }\n": typeof types.RenameMediaAssetDocument,
    "\n  mutation DeleteMediaAsset($id: ID!) {\n    deleteMediaAsset(id: $id)\n  }\n": typeof types.DeleteMediaAssetDocument,
    "\n  subscription MediaAssetReady($id: ID!) {\n    mediaAssetReady(id: $id) {\n      ...MediaAssetFields\n    }\n  }\n": typeof types.MediaAssetReadyDocument,
    "\n  mutation CreateUpload($input: CreateUploadInput!) {\n    createUpload(input: $input) {\n      uploadUrl\n      asset {\n        ...MediaAssetFields\n      }\n    }\n  }\n": typeof types.CreateUploadDocument,
};
const documents: Documents = {
    "\n  fragment MediaAssetFields on MediaAsset {\n    id\n    kind\n    title\n    mimeType\n    byteSize\n    width\n    height\n    durationMs\n    visibility\n    createdAt\n    version\n    url\n    thumbnailUrl\n  }\n": types.MediaAssetFieldsFragmentDoc,
    "\n  query MediaLibrary($first: Int!, $after: String) {\n    myMedia(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...MediaAssetFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.MediaLibraryDocument,
    "\n  query MediaAsset($id: ID!) {\n    mediaAsset(id: $id) {\n      ...MediaAssetFields\n    }\n  }\n": types.MediaAssetDocument,
    "\n  mutation RenameMediaAsset($id: ID!, $title: String!, $expectedVersion: Int) {\n    updateMediaAsset(id: $id, input: { title: $title }, expectedVersion: $expectedVersion) {\n      ...MediaAssetFields\n    }\n  }\n": types.RenameMediaAssetDocument,
    "\n  mutation DeleteMediaAsset($id: ID!) {\n    deleteMediaAsset(id: $id)\n  }\n": types.DeleteMediaAssetDocument,
    "\n  subscription MediaAssetReady($id: ID!) {\n    mediaAssetReady(id: $id) {\n      ...MediaAssetFields\n    }\n  }\n": types.MediaAssetReadyDocument,
    "\n  mutation CreateUpload($input: CreateUploadInput!) {\n    createUpload(input: $input) {\n      uploadUrl\n      asset {\n        ...MediaAssetFields\n      }\n    }\n  }\n": types.CreateUploadDocument,
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
export function graphql(source: "\n  fragment MediaAssetFields on MediaAsset {\n    id\n    kind\n    title\n    mimeType\n    byteSize\n    width\n    height\n    durationMs\n    visibility\n    createdAt\n    version\n    url\n    thumbnailUrl\n  }\n"): (typeof documents)["\n  fragment MediaAssetFields on MediaAsset {\n    id\n    kind\n    title\n    mimeType\n    byteSize\n    width\n    height\n    durationMs\n    visibility\n    createdAt\n    version\n    url\n    thumbnailUrl\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MediaLibrary($first: Int!, $after: String) {\n    myMedia(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...MediaAssetFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query MediaLibrary($first: Int!, $after: String) {\n    myMedia(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...MediaAssetFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MediaAsset($id: ID!) {\n    mediaAsset(id: $id) {\n      ...MediaAssetFields\n    }\n  }\n"): (typeof documents)["\n  query MediaAsset($id: ID!) {\n    mediaAsset(id: $id) {\n      ...MediaAssetFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenameMediaAsset($id: ID!, $title: String!, $expectedVersion: Int) {\n    updateMediaAsset(id: $id, input: { title: $title }, expectedVersion: $expectedVersion) {\n      ...MediaAssetFields\n    }\n  }\n"): (typeof documents)["\n  mutation RenameMediaAsset($id: ID!, $title: String!, $expectedVersion: Int) {\n    updateMediaAsset(id: $id, input: { title: $title }, expectedVersion: $expectedVersion) {\n      ...MediaAssetFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteMediaAsset($id: ID!) {\n    deleteMediaAsset(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteMediaAsset($id: ID!) {\n    deleteMediaAsset(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MediaAssetReady($id: ID!) {\n    mediaAssetReady(id: $id) {\n      ...MediaAssetFields\n    }\n  }\n"): (typeof documents)["\n  subscription MediaAssetReady($id: ID!) {\n    mediaAssetReady(id: $id) {\n      ...MediaAssetFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUpload($input: CreateUploadInput!) {\n    createUpload(input: $input) {\n      uploadUrl\n      asset {\n        ...MediaAssetFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateUpload($input: CreateUploadInput!) {\n    createUpload(input: $input) {\n      uploadUrl\n      asset {\n        ...MediaAssetFields\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;