import type { ReactNode } from 'react';

/**
 * Where the result of an action on the page is announced (a guardian unlinked, an assignment
 * ended): always in the page, so screen readers announce each new text (WCAG 4.1.3).
 */
export function LiveRegion({ children }: { children?: ReactNode }) {
  return (
    <div aria-live="polite" role="status" className="admin-live">
      {children && <p className="notice notice-success">{children}</p>}
    </div>
  );
}
