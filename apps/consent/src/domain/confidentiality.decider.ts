import { CAPACITY_FIELD_OF } from '@silta/contracts';
import type { AssessGuardianBan, ConfidentialityCommand, SetGuardianVisibility } from './confidentiality.commands';
import {
  ASSESSABLE_ROLES,
  CONFIDENTIAL_ROLES,
  type BanAssessor,
  type BanAssessmentOutcome,
  type ConfidentialityEvent,
  type ConfidentialRole,
  type Declarant,
  type HealthCareRole,
} from './confidentiality.events';
import { unreachable } from './consent';
import { ConsentError } from './consent.errors';
import { currentAssignment, type StudentStanding } from './standing';

/** What guardians may not see about a student, as the student's confidentiality stream tells it. */
export interface GuardianVisibility {
  /**
   * Professions whose disclosures guardians may not learn of now (empty: they see everything): the
   * declared set, less the curator or psychologist roles an assessment overrode.
   */
  readonly hiddenRoles: readonly ConfidentialRole[];
  /** The declaration in force (by the student or on their behalf); absent while nothing has been declared. */
  readonly declaration?: { readonly roles: readonly ConfidentialRole[]; readonly declaredBy: Declarant; readonly at: string };
  /** The assessment of that declaration's ban; absent until one is made, and again after a new declaration. */
  readonly assessment?: {
    readonly outcome: BanAssessmentOutcome;
    readonly roles: readonly ConfidentialRole[];
    readonly why: string;
    readonly assessedBy: BanAssessor;
    readonly at: string;
  };
}

/** The state of a stream with no events: guardians see everything. */
export const initialGuardianVisibility: GuardianVisibility = { hiddenRoles: [] };

/** The stream that holds one student's confidentiality declarations. */
export function confidentialityStreamId(studentId: string): string {
  return `confidentiality-${studentId}`;
}

/**
 * Why `actor` may not declare or see the student's confidentiality, or undefined when they may.
 * The student themself; or a welfare professional holding, today, an assignment in that role of
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
export function decideConfidentiality(command: ConfidentialityCommand, state: GuardianVisibility): readonly ConfidentialityEvent[] {
  switch (command.type) {
    case 'SetGuardianVisibility':
      return setVisibility(command);
    case 'AssessGuardianBan':
      return assessBan(command, state);
    default:
      return unreachable(command);
  }
}

/** Folds one event into the state. */
export function evolveConfidentiality(state: GuardianVisibility, event: ConfidentialityEvent): GuardianVisibility {
  switch (event.type) {
    // A declaration replaces the previous one, and with it any assessment of it.
    case 'GuardianVisibilityRestricted':
      return { hiddenRoles: event.roles, declaration: { roles: event.roles, declaredBy: event.declaredBy, at: event.at } };
    case 'GuardianVisibilityRestored':
      return { hiddenRoles: [], declaration: { roles: [], declaredBy: event.declaredBy, at: event.at } };
    case 'GuardianBanAssessed': {
      const { outcome, roles, why, assessedBy, at } = event;
      return { ...state, hiddenRoles: event.hiddenRoles, assessment: { outcome, roles, why, assessedBy, at } };
    }
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
 * is part of what the student (and a supervisor) may later need to know. The state is not
 * consulted: a declaration replaces the previous one whatever it was.
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

/**
 * A nurse, doctor or psychologist assigned to the student's school assesses the ban on curator or
 * psychologist disclosures of the declaration in force. Overridden, guardians see those roles'
 * disclosures again; a ban on nurse or doctor disclosures (health data) stays whatever the outcome.
 * A later assessment of the same declaration replaces an earlier one.
 */
function assessBan(command: AssessGuardianBan, state: GuardianVisibility): readonly ConfidentialityEvent[] {
  const assessedBy = healthCareProfessional(command.actor);
  if (!currentAssignment(assessedBy, command.standing, command.now)) {
    throw new ConsentError('not_assigned_to_student', `a ${assessedBy.role} may assess a ban only while assigned to the student's school, which their welfare area serves`);
  }
  const declared = state.declaration?.roles ?? [];
  const roles = declared.filter((role) => ASSESSABLE_ROLES.includes(role));
  if (roles.length === 0) throw new ConsentError('no_ban_to_assess', 'the student has no ban on curator or psychologist disclosures in force to assess');
  const hiddenRoles = command.outcome === 'overridden' ? declared.filter((role) => !roles.includes(role)) : declared;
  return [{ type: 'GuardianBanAssessed', studentId: command.studentId, outcome: command.outcome, roles, hiddenRoles, why: command.why, assessedBy, at: command.now.toISOString() }];
}

/** The actor as an assessor, or a refusal: only the health-care professionals of the student-welfare staff assess. */
function healthCareProfessional(actor: Declarant): BanAssessor {
  if (actor.kind === 'professional' && isHealthCareRole(actor.role)) return { kind: 'professional', id: actor.id, role: actor.role, org: actor.org };
  const who = actor.kind === 'student' ? 'a student' : `a ${actor.role}`;
  throw new ConsentError('not_a_health_professional', `${who} may not assess a ban: only a nurse, doctor or psychologist of the student-welfare staff does`);
}

/** Health care as capacity assessments know it: the field a psychologist, nurse or doctor judges in. */
function isHealthCareRole(role: ConfidentialRole): role is HealthCareRole {
  return CAPACITY_FIELD_OF[role] === 'health_care';
}
