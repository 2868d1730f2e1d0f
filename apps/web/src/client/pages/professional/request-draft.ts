// The request form's state, kept as a draft (useDraft) so a session that ends mid-form loses
// nothing. Its requestId is the disclosure API's idempotency key: a retry of the same request
// after signing in again reuses it and gets the recorded decision back instead of a second one.
// Any change to the form makes a new requestId, because the API refuses (409) a requestId reused
// for a different request. The explanation uses the same requestId: explaining an unchanged form
// again answers the recorded explanation and adds nothing to the student's audit trail.
import { ApiProblem } from '../../api';
import type { Basis, Category, DisclosureRequestBody } from './api-shapes';

export interface RequestDraft {
  readonly requestId: string;
  readonly studentId: string;
  readonly categories: readonly Category[];
  readonly basis: Basis | '';
  readonly purpose: string;
  readonly caseId: string;
  readonly justification: string;
}

export function freshDraft(basis: Basis | '', studentId = ''): RequestDraft {
  return { requestId: crypto.randomUUID(), studentId, categories: [], basis, purpose: '', caseId: '', justification: '' };
}

/** The draft with some fields changed, under a new requestId (it is now another request). */
export function changed(draft: RequestDraft, patch: Partial<Omit<RequestDraft, 'requestId'>>): RequestDraft {
  return { ...draft, ...patch, requestId: crypto.randomUUID() };
}

/** A necessity request names the case it is for (sosiaalihuollon asiakaslaki 20 §). */
export const needsCaseId = (basis: Basis | '') => basis === 'necessity';
/** Necessity and emergency are justified in writing; the policy sets how long at least. */
export const needsJustification = (basis: Basis | '') => basis === 'necessity' || basis === 'emergency';

/**
 * The API body for this draft, or undefined while it lacks what every request needs (student,
 * categories, basis, purpose). A case id or justification the basis does not use is left out.
 * Whether a present case id or justification suffices is the decision's to say: the explanation
 * shows it per category.
 */
export function requestBody(draft: RequestDraft): DisclosureRequestBody | undefined {
  const { basis } = draft;
  if (!draft.studentId.trim() || draft.categories.length === 0 || basis === '' || !draft.purpose.trim()) return undefined;
  return {
    requestId: draft.requestId,
    studentId: draft.studentId.trim(),
    categories: draft.categories,
    basis,
    purpose: draft.purpose.trim(),
    ...(needsCaseId(basis) && draft.caseId.trim() && { caseId: draft.caseId.trim() }),
    ...(needsJustification(basis) && draft.justification.trim() && { justification: draft.justification.trim() }),
  };
}

/**
 * What the form must hold before it is sent, as a problem shaped like the API's (field errors by
 * the API's field names), so the same summary and field messages show it. Sending an emergency
 * request without a justification would only record a denial.
 */
export function missingFields(draft: RequestDraft, required: string): ApiProblem | undefined {
  const missing = [
    !draft.studentId.trim() && 'studentId',
    draft.categories.length === 0 && 'categories',
    draft.basis === '' && 'basis',
    !draft.purpose.trim() && 'purpose',
    needsCaseId(draft.basis) && !draft.caseId.trim() && 'caseId',
    needsJustification(draft.basis) && !draft.justification.trim() && 'justification',
  ].filter((field): field is string => typeof field === 'string');
  if (missing.length === 0) return undefined;
  return new ApiProblem(400, 'invalid_request', required, missing.map((field) => ({ field, message: required })));
}
