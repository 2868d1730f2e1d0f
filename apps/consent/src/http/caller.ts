import { Refusal } from '@silta/contracts';
import { WELFARE_PROFESSIONS, orgOf, type Principal, type WelfareProfession } from '@silta/platform';
import type { Declarant, Party } from '../domain';

/** The caller as a party to consents; endpoints admit only guardians and students. */
export function partyOf(caller: Principal): Party {
  if (caller.role === 'guardian' || caller.role === 'student') return { kind: caller.role, id: caller.sub };
  throw new Refusal('forbidden', 'forbidden_role', `role ${caller.role} has no consents`);
}

/**
 * The caller as one who may declare what a student's guardians see (or assess a ban): the student,
 * or a welfare professional whose token names their welfare area (recorded with the declaration).
 */
export function declarantOf(caller: Principal): Declarant {
  if (caller.role === 'student') return { kind: 'student', id: caller.sub };
  if ((WELFARE_PROFESSIONS as readonly string[]).includes(caller.role)) {
    if (orgOf(caller)?.kind !== 'welfare-area') {
      throw new Refusal('forbidden', 'other_organisation', `a ${caller.role} acts for a student only as staff of a welfare area; the token names none`);
    }
    return { kind: 'professional', id: caller.sub, role: caller.role as WelfareProfession, org: caller.org! };
  }
  throw new Refusal('forbidden', 'forbidden_role', `role ${caller.role} may not see or change what guardians see`);
}
