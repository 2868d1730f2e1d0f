import { useState } from 'react';
import { FormattedMessage } from 'react-intl';

/**
 * Cursor paging over the audit lists (`cursor` is the previous page's nextCursor): the cursors of
 * the pages before are kept, so "previous" needs nothing from the API. A new search starts over.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<readonly string[]>([]);
  return {
    cursor: cursors.at(-1),
    page: cursors.length + 1,
    next: (cursor: string) => setCursors((previous) => [...previous, cursor]),
    previous: () => setCursors((previous) => previous.slice(0, -1)),
    restart: () => setCursors([]),
  };
}

export type CursorPages = ReturnType<typeof useCursorPages>;

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
        <FormattedMessage id="auditor.pager.page" values={{ page: pages.page }} />
      </span>
      {nextCursor && (
        <button type="button" className="secondary" onClick={() => pages.next(nextCursor)}>
          <FormattedMessage id="common.nextPage" />
        </button>
      )}
    </nav>
  );
}
