/** Stable codes of the roster's rules; the HTTP edge maps each to a status. */
export type RosterErrorCode =
  | 'school_exists'
  | 'school_not_found'
  | 'school_not_served'
  | 'other_organisation'
  | 'already_enrolled'
  | 'student_not_found'
  | 'already_at_school'
  | 'guardian_already_linked'
  | 'guardian_not_linked'
  | 'assignment_exists'
  | 'assignment_not_found'
  | 'assignment_already_ended'
  | 'invalid_validity_period'
  | 'record_conflict';

/** A roster rule that a command broke; the message is safe to show the caller. */
export class RosterError extends Error {
  constructor(
    readonly code: RosterErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RosterError';
  }
}

/** Makes a switch exhaustive: the compiler rejects a case left out. */
export function unreachable(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}
