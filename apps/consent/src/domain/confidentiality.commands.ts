import type { ConfidentialRole, Declarant } from './confidentiality.events';

/**
 * Declares which professions' disclosures the student's guardians may not see; an empty set
 * restores what guardians see. Replaces whatever was declared before.
 */
export interface SetGuardianVisibility {
  readonly type: 'SetGuardianVisibility';
  readonly studentId: string;
  readonly hiddenRoles: readonly ConfidentialRole[];
  readonly actor: Declarant;
  /** Whether the roster view knows the student (a lookup passed in, never read by the domain). */
  readonly studentKnown: boolean;
  readonly now: Date;
}

/** Everything one can ask of a student's confidentiality. */
export type ConfidentialityCommand = SetGuardianVisibility;
