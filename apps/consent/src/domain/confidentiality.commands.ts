import type { ConfidentialRole, Declarant } from './confidentiality.events';

/** One of the calling professional's assignments, as consent's roster view holds it. */
export interface CallerAssignment {
  readonly assignmentId: string;
  readonly role: string;
  readonly welfareAreaId: string;
  readonly schoolId: string;
  /** First day, YYYY-MM-DD. */
  readonly validFrom: string;
  /** Last day, YYYY-MM-DD; open-ended when absent. */
  readonly validUntil?: string;
  readonly ended: boolean;
}

/**
 * What the roster view says about the student and the caller (a lookup passed in, never read by
 * the domain): the student's current school, the welfare area declared to serve it, and the
 * caller's assignments (by their subject). Empty for a student the view does not know.
 */
export interface StudentStanding {
  readonly schoolId: string | undefined;
  readonly schoolServedBy: string | undefined;
  readonly callerAssignments: readonly CallerAssignment[];
}

/**
 * Declares which professions' disclosures the student's guardians may not see; an empty set
 * restores what guardians see. Replaces whatever was declared before.
 */
export interface SetGuardianVisibility {
  readonly type: 'SetGuardianVisibility';
  readonly studentId: string;
  readonly hiddenRoles: readonly ConfidentialRole[];
  readonly actor: Declarant;
  /** Who may declare for the student: a professional must be assigned to the student's school. */
  readonly standing: StudentStanding;
  readonly now: Date;
}

/** Everything one can ask of a student's confidentiality. */
export type ConfidentialityCommand = SetGuardianVisibility;
