import { Command } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import type { Principal } from '@silta/platform';
import type { CapacityField } from '../domain';
import type { CapacityAssessmentAnswer } from '../http/answers.responses';
import type { AssessCapacityRequest } from './assess-capacity.request';

/** What PUT /v1/students/{studentId}/capacity/{field} answers: the assessment as recorded. */
export interface AssessCapacityResult extends CapacityAssessmentAnswer {
  readonly studentId: string;
  readonly field: CapacityField;
  readonly positionToken: string;
}

/** A verified professional records whether the student decides their field's matters themselves. */
export class AssessCapacityCommand extends Command<AssessCapacityResult> {
  constructor(
    readonly caller: Principal,
    readonly studentId: string,
    readonly field: CapacityField,
    readonly request: AssessCapacityRequest,
    /** What the events this command writes record of the request (eventMetadata's convention). */
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
