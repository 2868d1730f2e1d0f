import { Query } from '@nestjs/cqrs';
import type { Principal } from '@silta/platform';
import type { ConfidentialRole, Declarant } from '../domain';

/** What GET /v1/students/{studentId}/guardian-visibility answers. */
export interface GuardianVisibilityAnswer {
  readonly studentId: string;
  /** Professions whose disclosures guardians may not see; empty: they see everything. */
  readonly hiddenRoles: readonly ConfidentialRole[];
  /** Who made the declaration in force, and when; absent while nothing has been declared. */
  readonly declaredBy?: Declarant;
  readonly changedAt?: string;
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
