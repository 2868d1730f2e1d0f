import { useEffect, useState } from 'react';
import { api, ApiProblem } from '../../api';
import type { DisclosureRequestBody, Explanation } from './api-shapes';

/** How long the form must rest before it is explained: one call per pause, not per keystroke. */
const PAUSE_MS = 700;

export interface ExplanationState {
  /** The latest answer, and the request it explains (by its requestId). */
  readonly explanation?: Explanation;
  readonly problem?: ApiProblem;
  readonly explainedRequestId?: string;
  /** The form has changed since the shown answer: a new one is on its way. */
  readonly pending: boolean;
}

/**
 * Asks the explain endpoint what the request in the form would get, each time the form has rested
 * for a moment with a complete request in it. A newer form cancels the older call. Explaining
 * records an explanation (not a disclosure) in the student's audit trail and releases nothing.
 */
export function useExplanation(body: DisclosureRequestBody | undefined): ExplanationState {
  const [state, setState] = useState<Omit<ExplanationState, 'pending'>>({});
  const key = body ? JSON.stringify(body) : '';
  useEffect(() => {
    if (!body) {
      setState({});
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api<Explanation>('disclosure', 'v1/disclosures/explain', { method: 'POST', body, signal: controller.signal }).then(
        (explanation) => setState({ explanation, explainedRequestId: body.requestId }),
        (error: unknown) => {
          if (controller.signal.aborted) return;
          const problem = error instanceof ApiProblem ? error : new ApiProblem(0, 'network', String(error));
          setState({ problem, explainedRequestId: body.requestId });
        },
      );
    }, PAUSE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // key stands for body: the same request in a new object is not a change.
  }, [key]);
  return { ...state, pending: body !== undefined && state.explainedRequestId !== body.requestId };
}
