import { useEffect, useRef, useState, type RefObject } from 'react';
import { FormattedMessage } from 'react-intl';

/**
 * Cursor paging over the APIs' lists (`?cursor=` is the previous page's nextCursor): the cursors
 * of the pages before are kept, so "previous" needs nothing from the API. A new search restarts.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<readonly string[]>([]);
  const moved = useRef(false);
  return {
    cursor: cursors.at(-1),
    page: cursors.length + 1,
    next: (cursor: string) => {
      moved.current = true;
      setCursors((previous) => [...previous, cursor]);
    },
    previous: () => {
      moved.current = true;
      setCursors((previous) => previous.slice(0, -1));
    },
    restart: () => setCursors([]),
    /** Whether the user turned the page since last asked. */
    takeMoved: () => {
      const was = moved.current;
      moved.current = false;
      return was;
    },
  };
}

export type CursorPages = ReturnType<typeof useCursorPages>;

/**
 * After the user turns the page, the new page's heading takes the focus once it has loaded: the
 * list is hidden while it loads (a page number must never label the previous page's rows), and
 * the button that was pressed goes with it.
 */
export function useFocusAfterPaging(pages: { takeMoved: () => boolean }, loading: boolean, heading: RefObject<HTMLElement | null>) {
  useEffect(() => {
    if (!loading && pages.takeMoved()) heading.current?.focus();
  }, [loading]);
}

export function Pager({ pages, nextCursor, label }: { pages: CursorPages; nextCursor: string | null; label: string }) {
  if (pages.page === 1 && !nextCursor) return null;
  return (
    <nav className="pager actions" aria-label={label}>
      {pages.page > 1 && (
        <button type="button" className="secondary" onClick={pages.previous}>
          <FormattedMessage id="common.previousPage" />
        </button>
      )}
      <span>
        <FormattedMessage id="common.pager.page" values={{ page: pages.page }} />
      </span>
      {nextCursor && (
        <button type="button" className="secondary" onClick={() => pages.next(nextCursor)}>
          <FormattedMessage id="common.nextPage" />
        </button>
      )}
    </nav>
  );
}
