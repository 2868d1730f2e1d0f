import { ProblemError, type Principal } from '@silta/platform';
import type { Party } from '../domain';

/** The caller as a party to consents; endpoints admit only guardians and students. */
export function partyOf(caller: Principal): Party {
  if (caller.role === 'guardian' || caller.role === 'student') return { kind: caller.role, id: caller.sub };
  throw new ProblemError(403, 'forbidden_role', `role ${caller.role} has no consents`);
}
