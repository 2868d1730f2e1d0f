import { useCallback, useEffect, useRef, useState, type DependencyList, type ReactNode } from 'react';
import { FormattedMessage } from 'react-intl';
import { ApiProblem } from '../api';
import { useLocation } from '../router';
import { ProblemText } from './form';

/**
 * The page's one h1; it takes the focus when the page opens (a new path), so the change
 * is announced. Only then: `children` is a new element on every render, and taking the focus on
 * each render would pull it out of a field as the user types.
 */
export function PageTitle({ children }: { children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const { pathname } = useLocation();
  useEffect(() => {
    heading.current?.focus();
  }, [pathname]);
  useEffect(() => {
    document.title = `${heading.current?.textContent ?? ''} – Silta`;
  });
  return (
    <h1 tabIndex={-1} ref={heading}>
      {children}
    </h1>
  );
}

export function Notice({ kind, children }: { kind: 'info' | 'success' | 'warning' | 'error'; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function Loading() {
  return (
    <p role="status" className="loading">
      <FormattedMessage id="common.status.loading" />
    </p>
  );
}

export function ProblemNotice({ problem }: { problem: ApiProblem }) {
  if (problem.sessionExpired) return null; // the session returns to sign-in
  return (
    <Notice kind="error">
      <ProblemText problem={problem} />
    </Notice>
  );
}

export type Loaded<T> = { readonly loading: boolean; readonly data?: T; readonly problem?: ApiProblem; readonly reload: () => void };

/** Loads data for a page; `reload` fetches again (after a change the page made). */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ loading: boolean; data?: T; problem?: ApiProblem }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    load(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ loading: false, data }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const problem = error instanceof ApiProblem ? error : new ApiProblem(0, 'network', error instanceof Error ? error.message : String(error));
        setState({ loading: false, problem });
      },
    );
    return () => controller.abort();
    // The caller names what the load depends on (deps), as with useEffect.
  }, [...deps, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}

/** Shows loading, a problem, or the data. */
export function LoadedView<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  if (loaded.problem) return <ProblemNotice problem={loaded.problem} />;
  if (loaded.data === undefined) return <Loading />;
  return <>{children(loaded.data)}</>;
}
