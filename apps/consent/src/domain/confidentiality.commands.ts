import type { ConfidentialRole, Declarant } from './confidentiality.events';
import type { StudentStanding } from './standing';

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
