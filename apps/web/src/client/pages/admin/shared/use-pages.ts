import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { ApiProblem } from '../../../api';

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface Pages<T> {
  readonly items?: readonly T[];
  readonly problem?: ApiProblem;
  readonly loading: boolean;
  /** Another page follows: `more()` appends it. */
  readonly hasMore: boolean;
  readonly more: () => void;
  readonly reload: () => void;
}

/**
 * A list the API gives a page at a time: the first page on open, the next ones on "Show more"
 * (appended, so the keyboard focus stays where it was). `reload` starts again from the first page.
 */
export function usePages<T>(load: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>, deps: DependencyList): Pages<T> {
  const [state, setState] = useState<{ items?: readonly T[]; problem?: ApiProblem; loading: boolean; cursor: string | null }>({ loading: true, cursor: null });
  const [request, setRequest] = useState<{ round: number; cursor?: string }>({ round: 0 });

  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    load(request.cursor, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setState((previous) => ({ loading: false, cursor: page.nextCursor, items: request.cursor ? [...(previous.items ?? []), ...page.items] : page.items }));
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const problem = error instanceof ApiProblem ? error : new ApiProblem(0, 'network', String(error));
        setState((previous) => ({ ...previous, loading: false, problem }));
      },
    );
    return () => controller.abort();
    // The caller names what the list depends on, as with useEffect.
  }, [...deps, request]);

  const cursor = state.cursor;
  const more = useCallback(() => {
    if (cursor) setRequest((r) => ({ round: r.round, cursor }));
  }, [cursor]);
  const reload = useCallback(() => setRequest((r) => ({ round: r.round + 1 })), []);
  return { items: state.items, problem: state.problem, loading: state.loading, hasMore: state.cursor !== null, more, reload };
}

/**
 * Every page of a list, for the few places that need one item the API has no single route for
 * (a student among a school's students). Pages are large (1000), schools hold hundreds.
 */
export async function allPages<T>(load: (cursor: string | undefined) => Promise<Page<T>>, found?: (item: T) => boolean): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await load(cursor);
    items.push(...page.items);
    if (found && page.items.some(found)) break;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
