import { refusalsOf } from '@silta/contracts';

/** Each roster rule by its stable code, and the kind of refusal it is (the edge maps kinds to statuses). */
const KINDS = {
  school_exists: 'conflict',
  school_not_found: 'not_found',
  school_not_served: 'conflict',
  other_organisation: 'forbidden',
  already_enrolled: 'conflict',
  student_not_found: 'not_found',
  already_at_school: 'conflict',
  guardian_already_linked: 'conflict',
  guardian_not_linked: 'not_found',
  assignment_exists: 'conflict',
  assignment_not_found: 'not_found',
  assignment_already_ended: 'conflict',
  invalid_validity_period: 'invalid',
  record_conflict: 'conflict',
} as const;

/** Stable codes of the roster's rules. */
export type RosterErrorCode = keyof typeof KINDS;

/** A roster rule that a command broke; the message is safe to show the caller. */
export class RosterError extends refusalsOf(KINDS) {}

/** Makes a switch exhaustive: the compiler rejects a case left out. */
export function unreachable(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}
