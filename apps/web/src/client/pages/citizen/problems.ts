import type { IntlShape } from 'react-intl';
import { ApiProblem } from '../../api';

/**
 * The consent and disclosure APIs' refusal codes these pages can meet, said in plain language in
 * the user's language; the APIs' own detail is in English and for developers.
 */
const EXPLAINED = [
  'student_decides_for_self',
  'student_lacks_capacity',
  'student_is_adult',
  'not_a_guardian',
  'not_the_grantor',
  'not_the_student',
  'not_your_student',
  'consent_withdrawn',
  'consent_expired',
  'consent_already_paused',
  'consent_not_paused',
  'invalid_validity_period',
  'roster_unavailable',
  'roster_view_incomplete',
] as const;

/** The problem with its detail in plain language where the code is one we know; else as it came. */
export function explainProblem(intl: IntlShape, problem: ApiProblem | undefined): ApiProblem | undefined {
  if (!problem || !(EXPLAINED as readonly string[]).includes(problem.code)) return problem;
  return new ApiProblem(problem.status, problem.code, intl.formatMessage({ id: `citizen.problem.${problem.code}` }), problem.errors);
}
