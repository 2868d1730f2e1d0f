import { Refusal } from '@silta/contracts';
import { WELFARE_PROFESSIONS, orgOf, type Principal, type WelfareProfession } from '@silta/platform';
import type { Assessor, CapacityViewer } from '../domain';

/**
 * The caller as one who may assess a student's capacity: a welfare professional whose token names
 * their welfare area (recorded with the assessment). Guardians, students and everyone else: 403.
 */
export function assessorOf(caller: Principal): Assessor {
  if (!isProfession(caller.role)) throw new Refusal('forbidden', 'forbidden_role', `role ${caller.role} may not assess capacity`);
  if (orgOf(caller)?.kind !== 'welfare-area') {
    throw new Refusal('forbidden', 'other_organisation', `a ${caller.role} assesses capacity only as staff of a welfare area; the token names none`);
  }
  return { id: caller.sub, role: caller.role, org: caller.org! };
}

/** The caller as one who may see a student's capacity: the student, or a welfare professional. */
export function capacityViewerOf(caller: Principal): CapacityViewer {
  if (caller.role === 'student') return { kind: 'student', id: caller.sub };
  return { kind: 'professional', ...assessorOf(caller) };
}

function isProfession(role: string): role is WelfareProfession {
  return (WELFARE_PROFESSIONS as readonly string[]).includes(role);
}
