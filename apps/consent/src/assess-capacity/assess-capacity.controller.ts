import { Controller, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, Caller, RequestMetadata, Responds, Roles, Summary, ValidBody, type Principal } from '@silta/platform';
import type { CapacityField } from '../domain';
import { CapacityFieldParam, StudentIdParam } from '../http/id-params';
import { AssessCapacityCommand, type AssessCapacityResult } from './assess-capacity.command';
import { AssessCapacityRequest } from './assess-capacity.request';
import { AssessCapacityAnswer } from './assess-capacity.responses';

/** PUT /v1/students/{studentId}/capacity/{field}. */
@Controller('v1/students')
export class AssessCapacityController {
  constructor(private readonly commands: CommandBus) {}

  @Put(':studentId/capacity/:field')
  @Roles('curator', 'psychologist', 'nurse', 'doctor')
  @Responds(APPEND_PROBLEMS, { 400: ['assessed_in_future'], 403: ['field_not_yours', 'not_assigned_to_student', 'other_organisation'], 503: ['roster_view_incomplete'] })
  @Answers(AssessCapacityAnswer)
  @Summary(
    "Record whether the student decides their own matters in a field (social_welfare: curator; health_care: nurse, doctor, psychologist), as judged on assessedOn by a professional of that field assigned today, in that role, to the student's current school by the welfare area that serves it. Every assessment is recorded; the latest per field decides who consents. Answers {studentId, field, decidesForSelf, assessedOn, assessedBy, assessedAt, positionToken}",
  )
  assess(
    @Caller() caller: Principal,
    @StudentIdParam() studentId: string,
    @CapacityFieldParam() field: CapacityField,
    @ValidBody(AssessCapacityRequest) body: AssessCapacityRequest,
    @RequestMetadata() metadata: EventMetadataInput,
  ): Promise<AssessCapacityResult> {
    return this.commands.execute(new AssessCapacityCommand(caller, studentId, field, body, metadata));
  }
}
