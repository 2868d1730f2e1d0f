import { Query } from '@nestjs/cqrs';
import type { Principal } from '@silta/platform';
import type { CapacityField } from '../domain';
import type { CapacityAssessmentAnswer } from '../http/answers.responses';

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
