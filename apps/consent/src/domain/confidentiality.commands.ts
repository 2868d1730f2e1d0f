import type { BanAssessmentOutcome, ConfidentialRole, Declarant } from './confidentiality.events';
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

/**
 * Records a health-care professional's assessment of the student's ban on curator or psychologist
 * disclosures: upheld, or overridden as clearly conflicting with the child's interest.
 */
export interface AssessGuardianBan {
  readonly type: 'AssessGuardianBan';
  readonly studentId: string;
  readonly outcome: BanAssessmentOutcome;
  /** Trimmed, 30 to 2000 characters (the edge checks the length). */
  readonly why: string;
  /** The caller as the edge knows them; only a nurse, doctor or psychologist may assess. */
  readonly actor: Declarant;
  /** The assessor must be assigned to the student's school, as for a declaration. */
  readonly standing: StudentStanding;
  readonly now: Date;
}

/** Everything one can ask of a student's confidentiality. */
export type ConfidentialityCommand = SetGuardianVisibility | AssessGuardianBan;
