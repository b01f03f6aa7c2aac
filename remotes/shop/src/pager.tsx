/**
 * Where a list is in its Relay connection: the `after` cursor of each page shown so far (the
 * first page has none), so that Previous goes back without a `before` argument.
 */
export interface CursorPages {
  /** `after` of the pages before the current one and of the current one, in order. */
  readonly cursors: readonly string[];
}

export const FIRST_PAGE: CursorPages = { cursors: [] };

/** The `after` argument of the current page. */
export const currentCursor = (pages: CursorPages): string | undefined => pages.cursors.at(-1);
export const nextPage = (pages: CursorPages, endCursor: string): CursorPages => ({ cursors: [...pages.cursors, endCursor] });
export const previousPage = (pages: CursorPages): CursorPages => ({ cursors: pages.cursors.slice(0, -1) });

/**
 * Previous and next buttons of a paged list. They stay where they are while a page loads, and an
 * unavailable one is `aria-disabled` rather than disabled, so that the focus stays on it.
 */
export function Pager({
  label,
  pages,
  hasNextPage,
  endCursor,
  loading,
  onChange,
}: {
  /** Names the navigation landmark, e.g. "Catalogue pages". */
  label: string;
  pages: CursorPages;
  hasNextPage: boolean;
  endCursor: string | null | undefined;
  loading: boolean;
  onChange: (pages: CursorPages) => void;
}) {
  const canGoBack = pages.cursors.length > 0 && !loading;
  const canGoOn = hasNextPage && !!endCursor && !loading;
  return (
    <nav className="shop-pager" aria-label={label}>
      <button type="button" aria-disabled={!canGoBack} onClick={() => canGoBack && onChange(previousPage(pages))}>
        Previous page
      </button>
      <span className="shop-pager-current">Page {pages.cursors.length + 1}</span>
      <button type="button" aria-disabled={!canGoOn} onClick={() => canGoOn && endCursor && onChange(nextPage(pages, endCursor))}>
        Next page
      </button>
    </nav>
  );
}
