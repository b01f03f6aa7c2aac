import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import type { PendingIntent } from '@mega/mini-app-sdk';
import { describeKinds, isPending } from './media-format';
import { MediaPreview } from './media-tile';
import { useLoadWhenVisible, useMyMedia } from './use-my-media';

/** Which grid cell an arrow key moves to, from `index` in a grid of `count` cells `columns` wide. */
function nextIndex(key: string, index: number, count: number, columns: number): number | undefined {
  switch (key) {
    case 'ArrowRight':
      return Math.min(index + 1, count - 1);
    case 'ArrowLeft':
      return Math.max(index - 1, 0);
    case 'ArrowDown':
      return index + columns < count ? index + columns : undefined;
    case 'ArrowUp':
      return index - columns >= 0 ? index - columns : undefined;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}

/** How many cells the first row of a grid holds, as laid out now. */
function columnsOf(cells: HTMLElement[]): number {
  const top = cells[0]?.offsetTop;
  const columns = cells.findIndex((cell) => cell.offsetTop !== top);
  return columns === -1 ? cells.length : columns;
}

export interface MediaPickerProps {
  intent: PendingIntent<'pick-media'>;
  /** The upload control and the uploads in progress (an upload that becomes READY appears in the grid). */
  upload: ReactNode;
}

/**
 * The `pick-media` intent, inside the shell's dialog: the user's READY assets of the requested
 * kinds as a compact grid of buttons (Tab and Enter, or the arrow keys), resolving the intent with
 * the chosen asset's id, or cancelling it.
 */
export function MediaPicker({ intent, upload }: MediaPickerProps) {
  const kinds = intent.request.kinds;
  const media = useMyMedia();
  const choices = media.assets.filter((asset) => !isPending(asset) && (!kinds || kinds.length === 0 || kinds.includes(asset.kind)));
  const grid = useRef<HTMLUListElement>(null);
  const more = useRef<HTMLButtonElement>(null);
  useLoadWhenVisible(more, media.hasNextPage && !media.loadingMore && !media.moreError, media.loadMore);

  const move = (event: KeyboardEvent<HTMLUListElement>) => {
    const cells = [...(grid.current?.querySelectorAll<HTMLButtonElement>('button.media-choice') ?? [])];
    const index = cells.indexOf(document.activeElement as HTMLButtonElement);
    if (index === -1) return;
    const next = nextIndex(event.key, index, cells.length, columnsOf(cells));
    if (next === undefined) return;
    event.preventDefault();
    cells[next]?.focus();
  };

  return (
    <section className="media media-picker" aria-labelledby="media-picker-heading">
      <h1 id="media-picker-heading">Choose from your {describeKinds(kinds)}</h1>
      {media.error ? (
        <div role="alert" className="media-error">
          <p>Your media could not be loaded: {media.error}</p>
          <button type="button" onClick={media.retry}>
            Try again
          </button>
        </div>
      ) : media.loadingFirst ? (
        <p role="status">Loading your media…</p>
      ) : choices.length === 0 && !media.hasNextPage ? (
        <p className="media-empty">Nothing to choose yet: upload one.</p>
      ) : (
        <ul ref={grid} className="media-picker-grid" aria-label={`Your ${describeKinds(kinds)}`} onKeyDown={move}>
          {choices.map((asset) => (
            <li key={asset.id}>
              <button type="button" className="media-choice" onClick={() => intent.resolve({ assetId: asset.id })}>
                <MediaPreview asset={asset} />
                <span className="media-choice-title" aria-hidden="true">
                  {asset.title}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {media.moreError && (
        <p role="alert" className="media-error">
          More media could not be loaded: {media.moreError}
        </p>
      )}
      {media.hasNextPage && (
        <p className="media-more">
          <button ref={more} type="button" onClick={media.loadMore} disabled={media.loadingMore}>
            {media.loadingMore ? 'Loading more…' : 'Load more'}
          </button>
        </p>
      )}
      {upload}
      <p className="media-actions">
        <button type="button" onClick={() => intent.cancel()}>
          Cancel
        </button>
      </p>
    </section>
  );
}
