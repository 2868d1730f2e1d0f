import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Roles, Summary, ValidBody } from '@silta/platform';
import { CallerMunicipality, Context, type RequestContext } from '../shared/request-context';
import { IdParam } from '../shared/schemas';
import { TransferStudentBody, TransferStudentCommand, type TransferStudentResult } from './transfer-student.command';

/** `POST /v1/students/{studentId}/transfer`. */
@Controller('v1/students')
export class TransferStudentController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':studentId/transfer')
  @HttpCode(200)
  @Roles('school_admin')
  @Summary('Move a student to another school of the same municipality. 200 {studentId, schoolId, positionToken}; 404 student_not_found or school_not_found; 409 already_at_school.')
  transfer(
    @Param('studentId', IdParam) studentId: string,
    @ValidBody(TransferStudentBody) body: TransferStudentBody,
    @CallerMunicipality() municipalityId: string,
    @Context() context: RequestContext,
  ): Promise<TransferStudentResult> {
    return this.commands.execute(new TransferStudentCommand(studentId, body, municipalityId, context));
  }
}
