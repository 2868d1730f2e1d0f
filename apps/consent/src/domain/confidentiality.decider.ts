import type { ConfidentialityCommand, SetGuardianVisibility } from './confidentiality.commands';
import { CONFIDENTIAL_ROLES, type ConfidentialityEvent, type ConfidentialRole, type Declarant } from './confidentiality.events';
import { unreachable } from './consent';
import { ConsentError } from './consent.errors';

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
 * A student only for themself; a curator or psychologist of a welfare area (the edge admits no one
 * else) for any student — guardians never, since the declaration is about hiding things from them.
 */
export function confidentialityRefusal(actor: Declarant, studentId: string): ConsentError | undefined {
  if (actor.kind === 'student' && actor.id !== studentId) {
    return new ConsentError('not_the_student', "a student may decide only on their own guardians' visibility");
  }
  return undefined;
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
  const refusal = confidentialityRefusal(command.actor, command.studentId);
  if (refusal) throw refusal;
  // The student's own token proves they exist; a professional names a student, who must be known.
  if (command.actor.kind === 'professional' && !command.studentKnown) {
    throw new ConsentError('student_not_found', `the roster does not know student ${command.studentId}`);
  }
  const roles = CONFIDENTIAL_ROLES.filter((role) => command.hiddenRoles.includes(role));
  const at = command.now.toISOString();
  if (roles.length === 0) return [{ type: 'GuardianVisibilityRestored', studentId: command.studentId, declaredBy: command.actor, at }];
  return [{ type: 'GuardianVisibilityRestricted', studentId: command.studentId, roles, declaredBy: command.actor, at }];
}
