import { graphql } from './gql';

/** Assets per page of the library (and of the picker, which shares its cached list). */
export const LIBRARY_PAGE_SIZE = 24;

/**
 * Everything the media app shows of an asset, selected the same way by every operation so that
 * the normalized cache has one complete `MediaAsset:<id>` (a rename or a READY event updates
 * every place that shows it, in this mini-app and in the others).
 */
export const MEDIA_ASSET_FIELDS = graphql(`
  fragment MediaAssetFields on MediaAsset {
    id
    kind
    title
    mimeType
    byteSize
    width
    height
    durationMs
    visibility
    createdAt
    version
    url
    thumbnailUrl
  }
`);

export const MEDIA_LIBRARY = graphql(`
  query MediaLibrary($first: Int!, $after: String) {
    myMedia(first: $first, after: $after) {
      edges {
        cursor
        node {
          ...MediaAssetFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const MEDIA_ASSET = graphql(`
  query MediaAsset($id: ID!) {
    mediaAsset(id: $id) {
      ...MediaAssetFields
    }
  }
`);

export const RENAME_MEDIA_ASSET = graphql(`
  mutation RenameMediaAsset($id: ID!, $title: String!, $expectedVersion: Int) {
    updateMediaAsset(id: $id, input: { title: $title }, expectedVersion: $expectedVersion) {
      ...MediaAssetFields
    }
  }
`);

export const DELETE_MEDIA_ASSET = graphql(`
  mutation DeleteMediaAsset($id: ID!) {
    deleteMediaAsset(id: $id)
  }
`);

export const MEDIA_ASSET_READY = graphql(`
  subscription MediaAssetReady($id: ID!) {
    mediaAssetReady(id: $id) {
      ...MediaAssetFields
    }
  }
`);

export const CREATE_UPLOAD = graphql(`
  mutation CreateUpload($input: CreateUploadInput!) {
    createUpload(input: $input) {
      uploadUrl
      asset {
        ...MediaAssetFields
      }
    }
  }
`);
