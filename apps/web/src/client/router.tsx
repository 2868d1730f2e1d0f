// A small history router: the app has a handful of pages per role, so a table of path patterns
// (`/students/:studentId/consents`) is all it needs. After each navigation the page's heading
// takes the focus, so a screen reader announces the new page (WCAG 2.4.3).
import { createContext, useContext, useEffect, useMemo, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

const LOCATION_CHANGED = 'silta:navigate';

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(LOCATION_CHANGED));
}

interface Location {
  readonly pathname: string;
  readonly search: URLSearchParams;
}

const LocationContext = createContext<Location>({ pathname: '/', search: new URLSearchParams() });

function readLocation(): Location {
  return { pathname: window.location.pathname, search: new URLSearchParams(window.location.search) };
}

export function LocationProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(readLocation);
  useEffect(() => {
    const update = () => setLocation(readLocation());
    window.addEventListener('popstate', update);
    window.addEventListener(LOCATION_CHANGED, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(LOCATION_CHANGED, update);
    };
  }, []);
  return <LocationContext.Provider value={location}>{children}</LocationContext.Provider>;
}

export function useLocation(): Location {
  return useContext(LocationContext);
}

/** A link that navigates in place; a modified click (new tab, download) is left to the browser. */
export function Link({ to, children, ...rest }: { to: string; children: ReactNode } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    rest.onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  const { pathname } = useLocation();
  return (
    <a {...rest} href={to} onClick={onClick} aria-current={pathname === to ? 'page' : undefined}>
      {children}
    </a>
  );
}

export type Params = Readonly<Record<string, string>>;

/** Matches a pattern like `/students/:studentId` against a path; answers the decoded parameters. */
export function matchPath(pattern: string, pathname: string): Params | undefined {
  const want = pattern.split('/').filter(Boolean);
  const have = pathname.split('/').filter(Boolean);
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i]!.startsWith(':')) {
      try {
        params[want[i]!.slice(1)] = decodeURIComponent(have[i]!);
      } catch {
        return undefined; // not a valid percent-encoding: no page matches
      }
    } else if (want[i] !== have[i]) return undefined;
  }
  return params;
}

export function useMatch<T>(routes: readonly T[], pathOf: (route: T) => string): { route: T; params: Params } | undefined {
  const { pathname } = useLocation();
  return useMemo(() => {
    for (const route of routes) {
      const params = matchPath(pathOf(route), pathname);
      if (params) return { route, params };
    }
    return undefined;
  }, [routes, pathOf, pathname]);
}

/** Encodes one path segment (ids may hold characters a URL must escape). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
