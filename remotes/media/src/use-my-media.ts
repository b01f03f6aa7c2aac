import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { NetworkStatus } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import type { MediaAssetFieldsFragment } from './gql/graphql';
import { LIBRARY_PAGE_SIZE, MEDIA_LIBRARY } from './operations';

export interface MyMedia {
  /** The assets loaded so far, newest first (PENDING ones included). */
  assets: MediaAssetFieldsFragment[];
  /** The first page has not arrived yet. */
  loadingFirst: boolean;
  /** Why the first page could not be loaded. */
  error: string | null;
  hasNextPage: boolean;
  loadingMore: boolean;
  /** Why the last `loadMore` failed; cleared by the next one. */
  moreError: string | null;
  /** Loads the next page (nothing when one is loading or there is none). */
  loadMore: () => void;
  /** Loads the first page again. */
  retry: () => void;
}

/** The signed-in user's `myMedia`, page by page, from the shell's one cache (the library and the picker share it). */
export function useMyMedia(): MyMedia {
  const { data, error, fetchMore, refetch, networkStatus } = useQuery(MEDIA_LIBRARY, {
    variables: { first: LIBRARY_PAGE_SIZE },
    // The library as saved (a reload, offline) at once, then as the server has it: uploads from other devices appear.
    fetchPolicy: 'cache-and-network',
    nextFetchPolicy: 'cache-first',
  });
  const [moreError, setMoreError] = useState<string | null>(null);
  const connection = data?.myMedia;
  const loadingMore = networkStatus === NetworkStatus.fetchMore;
  const hasNextPage = connection?.pageInfo.hasNextPage ?? false;
  const endCursor = connection?.pageInfo.endCursor ?? null;
  const busy = useRef(false);

  const loadMore = useCallback(() => {
    if (busy.current || !hasNextPage || !endCursor) return;
    busy.current = true;
    setMoreError(null);
    fetchMore({ variables: { after: endCursor } })
      .catch((cause: unknown) => setMoreError(cause instanceof Error ? cause.message : String(cause)))
      .finally(() => (busy.current = false));
  }, [fetchMore, hasNextPage, endCursor]);

  return {
    assets: connection?.edges.map((edge) => edge.node) ?? [],
    loadingFirst: !data && !error,
    error: error && !data ? error.message : null,
    hasNextPage,
    loadingMore,
    moreError,
    loadMore,
    retry: () => void refetch().catch(() => undefined),
  };
}

/** Calls `load` whenever `target` scrolls into view (near the end of a list), while `enabled`. */
export function useLoadWhenVisible(target: RefObject<Element | null>, enabled: boolean, load: () => void): void {
  useEffect(() => {
    const element = target.current;
    if (!enabled || !element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && load(), { rootMargin: '200px' });
    observer.observe(element);
    return () => observer.disconnect();
  }, [target, enabled, load]);
}
