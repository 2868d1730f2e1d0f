// Roster explains refusals in English and names a conflict by its code only (a duplicate id is
// `school_exists`, not a field error). The admin's forms show each problem next to the field it
// concerns, in the user's language: a field the API named gets the form's own plain-language
// message, and a known code becomes an error on the field it is about.
import type { IntlShape } from 'react-intl';
import { ApiProblem } from '../../../api';

export interface ProblemWording {
  /** API field path → message id, used when the API reports that field invalid. */
  readonly fields?: Readonly<Record<string, string>>;
  /** Refusal code → [form field, message id]. */
  readonly codes?: Readonly<Record<string, readonly [field: string, messageId: string]>>;
}

export function explainProblem(error: unknown, wording: ProblemWording, intl: IntlShape): unknown {
  if (!(error instanceof ApiProblem)) return error;
  const errors = error.errors.map((e) => {
    const id = wording.fields?.[e.field];
    return id ? { field: e.field, message: intl.formatMessage({ id }) } : e;
  });
  const byCode = wording.codes?.[error.code];
  if (byCode) errors.push({ field: byCode[0], message: intl.formatMessage({ id: byCode[1] }) });
  return new ApiProblem(error.status, error.code, error.detail, errors);
}

/** Runs an API call and rethrows its problem explained for the form. */
export async function explained<T>(call: Promise<T>, wording: ProblemWording, intl: IntlShape): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw explainProblem(error, wording, intl);
  }
}
