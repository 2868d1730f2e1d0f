import type { ConfidentialityCommand, SetGuardianVisibility } from './confidentiality.commands';
import { CONFIDENTIAL_ROLES, type ConfidentialityEvent, type ConfidentialRole, type Declarant } from './confidentiality.events';
import { unreachable } from './consent';
import { ConsentError } from './consent.errors';
import { currentAssignment, type StudentStanding } from './standing';

/** What guardians may not see about a student, as the student's confidentiality stream tells it. */
export interface GuardianVisibility {
  /** Professions whose disclosures guardians may not learn of; empty: guardians see everything. */
  readonly hiddenRoles: readonly ConfidentialRole[];
  /** The declaration in force; absent while nothing has been declared. */
  readonly declaration?: { readonly declaredBy: Declarant; readonly at: string };
}

/** The state of a stream with no events: guardians see everything. */
export const initialGuardianVisibility: GuardianVisibility = { hiddenRoles: [] };

/** The stream that holds one student's confidentiality declarations. */
export function confidentialityStreamId(studentId: string): string {
  return `confidentiality-${studentId}`;
}

/**
 * Why `actor` may not declare or see the student's confidentiality, or undefined when they may.
 * The student themself; or a curator or psychologist holding, today, an assignment in that role of
 * their own welfare area to the student's current school, which that welfare area is declared to
 * serve. Guardians never (the declaration is about hiding things from them), nor anyone else.
 */
export function confidentialityRefusal(actor: Declarant, studentId: string, standing: StudentStanding, now: Date): ConsentError | undefined {
  if (actor.kind === 'student') {
    return actor.id === studentId ? undefined : new ConsentError('not_the_student', "a student may decide only on their own guardians' visibility");
  }
  if (currentAssignment(actor, standing, now)) return undefined;
  return new ConsentError('not_assigned_to_student', `a ${actor.role} may see or change this only while assigned to the student's school, which their welfare area serves`);
}

/** Decides a command against the student's confidentiality; throws ConsentError to refuse. */
export function decideConfidentiality(command: ConfidentialityCommand, _state: GuardianVisibility): readonly ConfidentialityEvent[] {
  // One command so far (a declaration replaces the previous one whatever it was, so the state is
  // not consulted); a second command type turns this into an exhaustive switch.
  return setVisibility(command);
}

/** Folds one event into the state. */
export function evolveConfidentiality(_state: GuardianVisibility, event: ConfidentialityEvent): GuardianVisibility {
  switch (event.type) {
    case 'GuardianVisibilityRestricted':
      return { hiddenRoles: event.roles, declaration: { declaredBy: event.declaredBy, at: event.at } };
    case 'GuardianVisibilityRestored':
      return { hiddenRoles: [], declaration: { declaredBy: event.declaredBy, at: event.at } };
    default:
      return unreachable(event);
  }
}

/** The pure decider of a student's confidentiality stream (STYLE.md). */
export const confidentialityDecider = {
  initialState: initialGuardianVisibility,
  decide: decideConfidentiality,
  evolve: evolveConfidentiality,
};

/**
 * Records every declaration, even one that repeats the current set: who declared it, and when,
 * is part of what the student (and a supervisor) may later need to know.
 */
function setVisibility(command: SetGuardianVisibility): readonly ConfidentialityEvent[] {
  // The student's own token proves they exist; a professional must be assigned to their school,
  // so a student the roster view does not know is refused like any other student.
  const refusal = confidentialityRefusal(command.actor, command.studentId, command.standing, command.now);
  if (refusal) throw refusal;
  const roles = CONFIDENTIAL_ROLES.filter((role) => command.hiddenRoles.includes(role));
  const at = command.now.toISOString();
  if (roles.length === 0) return [{ type: 'GuardianVisibilityRestored', studentId: command.studentId, declaredBy: command.actor, at }];
  return [{ type: 'GuardianVisibilityRestricted', studentId: command.studentId, roles, declaredBy: command.actor, at }];
}
