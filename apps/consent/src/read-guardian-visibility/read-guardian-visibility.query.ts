import { Query } from '@nestjs/cqrs';
import type { Principal } from '@silta/platform';
import type { ConfidentialRole, Declarant, GuardianVisibility } from '../domain';

/** What GET /v1/students/{studentId}/guardian-visibility answers. */
export interface GuardianVisibilityAnswer {
  readonly studentId: string;
  /** Professions whose disclosures guardians may not see now (the declared set less what an assessment overrode); empty: they see everything. */
  readonly hiddenRoles: readonly ConfidentialRole[];
  /** Who made the declaration in force, and when; absent while nothing has been declared. */
  readonly declaredBy?: Declarant;
  readonly changedAt?: string;
  /** The declaration in force: the roles the student (or someone on their behalf) hid, by whom, when. */
  readonly declaration?: GuardianVisibility['declaration'];
  /** A health-care professional's assessment of that declaration's ban: outcome, roles, why, by whom, when. */
  readonly assessment?: GuardianVisibility['assessment'];
}

/** A verified caller asks what the student's guardians may not see. */
export class ReadGuardianVisibilityQuery extends Query<GuardianVisibilityAnswer> {
  constructor(
    readonly caller: Principal,
    readonly studentId: string,
  ) {
    super();
  }
}
