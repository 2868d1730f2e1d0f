import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, RequestMetadata, Responds, Roles, Summary, ValidBody } from '@silta/platform';
import { CallerMunicipality } from '../shared/caller-org';
import { IdParam } from '../shared/schemas';
import { TransferStudentBody, TransferStudentCommand, type TransferStudentResult } from './transfer-student.command';
import { TransferStudentAnswer } from './transfer-student.responses';

/** `POST /v1/students/{studentId}/transfer`. */
@Controller('v1/students')
export class TransferStudentController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':studentId/transfer')
  @HttpCode(200)
  @Roles('school_admin')
  @Responds(APPEND_PROBLEMS, { 403: ['other_organisation'], 404: ['school_not_found', 'student_not_found'], 409: ['already_at_school'] })
  @Answers(TransferStudentAnswer)
  @Summary('Move a student to another school of the same municipality. Answers {studentId, schoolId, positionToken}.')
  transfer(
    @Param('studentId', IdParam) studentId: string,
    @ValidBody(TransferStudentBody) body: TransferStudentBody,
    @CallerMunicipality() municipalityId: string,
    @RequestMetadata() metadata: EventMetadataInput,
  ): Promise<TransferStudentResult> {
    return this.commands.execute(new TransferStudentCommand(studentId, body, municipalityId, metadata));
  }
}
