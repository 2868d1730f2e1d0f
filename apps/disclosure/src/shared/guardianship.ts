import { Refusal } from '@silta/contracts';
import type { Principal } from '@silta/platform';
import { isAdultAt } from '@silta/decision';
import type { RosterClient } from './roster-client';

/**
 * Custody ends when the child turns 18 (laki lapsen huollosta ja tapaamisoikeudesta 361/1983 3 §):
 * from the student's 18th birthday (Europe/Helsinki; born 29 February: 1 March), a guardian no
 * longer reads the student's disclosure log or data-subject report: a 403 `student_is_adult`. The
 * birth date is roster's, read at the time of the request (its standing of the student); a roster
 * that cannot answer is a 502.
 */
export async function refuseGuardianOfAdult(roster: RosterClient, studentId: string, caller: Principal, now: Date): Promise<void> {
  if (caller.role !== 'guardian') return;
  if (!isAdultAt((await roster.standing(studentId)).birthDate, now.toISOString())) return;
  throw new Refusal(
    'forbidden',
    'student_is_adult',
    'the student is 18 or more: custody has ended (laki lapsen huollosta ja tapaamisoikeudesta 361/1983 3 §), so a guardian may no longer read this; the student may',
  );
}
