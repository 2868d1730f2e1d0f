// The grant form's values (kept as a draft in sessionStorage, see useDraft) and how they become
// the body of POST /v1/consents. Field names are the API's field paths, so its problem details
// land on the right field.
import type { IntlShape } from 'react-intl';
import { ApiProblem, type FieldError } from '../../api';
import type { Category, GrantConsentBody, WelfareRole } from './api-shapes';

export interface GrantDraft {
  readonly categories: readonly Category[];
  readonly welfareAreaId: string;
  readonly roles: readonly WelfareRole[];
  readonly purpose: string;
  /** Calendar days (YYYY-MM-DD) as the date inputs give them; empty: from now, until withdrawn. */
  readonly validFrom: string;
  readonly validUntil: string;
}

export const EMPTY_GRANT: GrantDraft = { categories: [], welfareAreaId: '', roles: [], purpose: '', validFrom: '', validUntil: '' };

/** Today as YYYY-MM-DD in the browser's time zone. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A day's start (or end) in the browser's time zone as an ISO instant; a value that is no day passes as typed, for the API to name. */
function instant(day: string, end: boolean): string {
  const date = new Date(`${day}T${end ? '23:59:59' : '00:00:00'}`);
  return Number.isNaN(date.getTime()) ? day : date.toISOString();
}

/**
 * The request body. A start of today or earlier is left out: the consent then starts when it is
 * granted (a consent cannot reach back). The end is the end of the chosen day.
 */
export function grantBody(studentId: string, draft: GrantDraft, now = new Date()): GrantConsentBody {
  return {
    studentId,
    categories: draft.categories,
    recipient: { welfareAreaId: draft.welfareAreaId.trim(), ...(draft.roles.length > 0 && { roles: draft.roles }) },
    purpose: draft.purpose,
    ...(draft.validFrom && draft.validFrom > today(now) && { validFrom: instant(draft.validFrom, false) }),
    ...(draft.validUntil && { validUntil: instant(draft.validUntil, true) }),
  };
}

/**
 * What the form can tell before sending, in the user's language: the required choices. Anything
 * else (ids, lengths, the API's own rules) the API answers, and its problem details are shown the
 * same way.
 */
export function missingFields(intl: IntlShape, draft: GrantDraft, now = new Date()): ApiProblem | undefined {
  const errors: FieldError[] = [];
  const say = (field: string, id: string) => errors.push({ field, message: intl.formatMessage({ id }) });
  if (draft.categories.length === 0) say('categories', 'citizen.grant.error.categories');
  if (draft.welfareAreaId.trim() === '') say('recipient.welfareAreaId', 'citizen.grant.error.welfareArea');
  if (draft.purpose.trim() === '') say('purpose', 'citizen.grant.error.purpose');
  if (draft.validUntil && draft.validUntil < today(now)) say('validUntil', 'citizen.grant.error.untilPast');
  else if (draft.validUntil && draft.validFrom && draft.validUntil < draft.validFrom) say('validUntil', 'citizen.grant.error.untilBeforeFrom');
  if (errors.length === 0) return undefined;
  return new ApiProblem(400, 'invalid_request', intl.formatMessage({ id: 'common.problem.400' }), errors);
}
