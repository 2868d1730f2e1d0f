import { Query } from '@nestjs/cqrs';
import type { Principal } from '@silta/platform';
import type { Assessor, CapacityField } from '../domain';

/** One field's latest assessment, as the API answers it. */
export interface CapacityAssessmentAnswer {
  readonly decidesForSelf: boolean;
  readonly assessedOn: string;
  readonly assessedBy: Assessor;
  /** When the assessment was recorded. */
  readonly assessedAt: string;
}

/** What GET /v1/students/{studentId}/capacity answers: a field is absent until someone assesses it. */
export interface CapacityAnswer {
  readonly studentId: string;
  readonly capacity: Partial<Record<CapacityField, CapacityAssessmentAnswer>>;
}

/** A verified caller asks how the student's capacity has been assessed. */
export class ReadCapacityQuery extends Query<CapacityAnswer> {
  constructor(
    readonly caller: Principal,
    readonly studentId: string,
  ) {
    super();
  }
}
