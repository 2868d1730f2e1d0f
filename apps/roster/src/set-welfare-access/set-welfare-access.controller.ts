import { Controller, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Roles, Summary, ValidBody } from '@silta/platform';
import { CallerMunicipality, Context, type RequestContext } from '../shared/request-context';
import { IdParam } from '../shared/schemas';
import { SetWelfareAccessBody, SetWelfareAccessCommand } from './set-welfare-access.command';

/** `PUT /v1/students/{studentId}/welfare-access`. */
@Controller('v1/students')
export class SetWelfareAccessController {
  constructor(private readonly commands: CommandBus) {}

  @Put(':studentId/welfare-access')
  @Roles('school_admin')
  @Summary("Activate or deactivate the welfare area's access to a student. 200 {studentId, active}; 404 student_not_found.")
  set(
    @Param('studentId', IdParam) studentId: string,
    @ValidBody(SetWelfareAccessBody) body: SetWelfareAccessBody,
    @CallerMunicipality() municipalityId: string,
    @Context() context: RequestContext,
  ): Promise<{ studentId: string; active: boolean }> {
    return this.commands.execute(new SetWelfareAccessCommand(studentId, body, municipalityId, context));
  }
}
