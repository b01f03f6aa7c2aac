import { InMemoryCache, type ApolloCache, type Reference } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { MediaAssetFieldsFragmentDoc, type MediaAssetFieldsFragment } from './gql/graphql';

const withPolicies = new WeakSet<ApolloCache>();

/**
 * The media app's fields in the shell's one cache (shared by every mini-app; these cover only
 * media's own root fields): `myMedia` is one list whatever the page (`after` appends, a new
 * upload is prepended), and `mediaAsset(id)` is read from an asset already in the cache, so the
 * viewer opens at once from the library.
 */
export function addMediaTypePolicies(cache: ApolloCache): void {
  if (!(cache instanceof InMemoryCache) || withPolicies.has(cache)) return;
  withPolicies.add(cache);
  cache.policies.addTypePolicies({
    Query: {
      fields: {
        myMedia: relayStylePagination(),
        mediaAsset: {
          read(existing: Reference | null | undefined, { args, toReference, canRead }) {
            if (existing !== undefined || typeof args?.id !== 'string') return existing;
            const cached = toReference({ __typename: 'MediaAsset', id: args.id });
            return canRead(cached) ? cached : undefined;
          },
        },
      },
    },
  });
}

interface StoredEdge {
  __typename?: string;
  cursor: string;
  node: Reference;
}

/** Puts a new asset (a just created upload) at the top of `myMedia`, once. */
export function prependToMyMedia(cache: ApolloCache, asset: MediaAssetFieldsFragment): void {
  const node = cache.writeFragment({ fragment: MediaAssetFieldsFragmentDoc, fragmentName: 'MediaAssetFields', data: asset });
  if (!node) return;
  cache.modify({
    fields: {
      myMedia(value, { readField }) {
        const existing = value as { edges: StoredEdge[] } | null | undefined;
        if (!existing || existing.edges.some((edge) => readField('id', edge.node) === asset.id)) return value;
        // No cursor of its own: `after` uses pageInfo.endCursor, which a new first item leaves as it is.
        return { ...existing, edges: [{ __typename: 'MediaAssetEdge', cursor: '', node }, ...existing.edges] } as typeof value;
      },
    },
  });
}

/**
 * Takes a deleted asset out of the cache: every list that held it (the library, chat attachments,
 * product images) drops it, since lists skip references to missing entities.
 */
export function evictMediaAsset(cache: ApolloCache, id: string): void {
  cache.evict({ id: cache.identify({ __typename: 'MediaAsset', id }) });
  cache.evict({ id: 'ROOT_QUERY', fieldName: 'mediaAsset', args: { id } });
  cache.gc();
}
