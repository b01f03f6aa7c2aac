import { useEffect, useRef } from 'react';
import { MediaTile, MediaTilePlaceholder, tileLinkId } from './media-tile';
import { useLoadWhenVisible, useMyMedia } from './use-my-media';

/** Placeholders while the first page loads: a few rows' worth. */
const FIRST_PAGE_PLACEHOLDERS = 8;
/** Placeholders appended while the next page loads. */
const NEXT_PAGE_PLACEHOLDERS = 4;

export interface MediaLibraryProps {
  hrefOf: (assetId: string) => string;
  onOpen: (assetId: string) => void;
  /** An asset whose tile takes the focus once shown (the one whose viewer was just closed). */
  focusAssetId?: string | undefined;
  /** Where the focus goes when that tile is not there (it was deleted). */
  onFocusLost?: () => void;
}

/**
 * The signed-in user's media, newest first, as a grid of square tiles; the next page loads when
 * the end of the grid scrolls into view, or with the button. Placeholders keep the size of the
 * tiles they stand for.
 */
export function MediaLibrary({ hrefOf, onOpen, focusAssetId, onFocusLost }: MediaLibraryProps) {
  const media = useMyMedia();
  const more = useRef<HTMLButtonElement>(null);
  useLoadWhenVisible(more, media.hasNextPage && !media.loadingMore && !media.moreError, media.loadMore);

  const focusPending = useRef(focusAssetId);
  useEffect(() => {
    const id = focusPending.current;
    if (!id || media.loadingFirst) return;
    focusPending.current = undefined;
    const tile = document.getElementById(tileLinkId(id));
    if (tile) tile.focus();
    else onFocusLost?.();
  }, [media.loadingFirst, onFocusLost]);

  if (media.error) {
    return (
      <div role="alert" className="media-error">
        <p>Your media could not be loaded: {media.error}</p>
        <button type="button" onClick={media.retry}>
          Try again
        </button>
      </div>
    );
  }
  if (media.loadingFirst) {
    return (
      <>
        <p role="status" className="media-visually-hidden">
          Loading your media…
        </p>
        <ul className="media-grid" aria-busy="true">
          {Array.from({ length: FIRST_PAGE_PLACEHOLDERS }, (_, index) => (
            <MediaTilePlaceholder key={index} />
          ))}
        </ul>
      </>
    );
  }
  if (media.assets.length === 0) return <p className="media-empty">No media yet: upload a photo, a video or a sound.</p>;
  return (
    <>
      <ul className="media-grid" aria-label="Your media" aria-busy={media.loadingMore}>
        {media.assets.map((asset) => (
          <MediaTile key={asset.id} asset={asset} href={hrefOf(asset.id)} onOpen={() => onOpen(asset.id)} />
        ))}
        {media.loadingMore && Array.from({ length: NEXT_PAGE_PLACEHOLDERS }, (_, index) => <MediaTilePlaceholder key={`more-${index}`} />)}
      </ul>
      {media.moreError && (
        <p role="alert" className="media-error">
          More media could not be loaded: {media.moreError}
        </p>
      )}
      {media.hasNextPage && (
        <p className="media-more">
          <button ref={more} type="button" onClick={media.loadMore} disabled={media.loadingMore}>
            {media.loadingMore ? 'Loading more…' : media.moreError ? 'Try again' : 'Load more'}
          </button>
        </p>
      )}
    </>
  );
}
