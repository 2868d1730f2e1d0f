import { Controller, Delete, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, RequestMetadata, Responds, Roles, Summary } from '@silta/platform';
import { CallerMunicipality } from '../shared/caller-org';
import { IdParam } from '../shared/schemas';
import { UnlinkGuardianCommand, type UnlinkGuardianResult } from './unlink-guardian.command';
import { UnlinkGuardianAnswer } from './unlink-guardian.responses';

/** `DELETE /v1/students/{studentId}/guardians/{guardianId}`. */
@Controller('v1/students')
export class UnlinkGuardianController {
  constructor(private readonly commands: CommandBus) {}

  @Delete(':studentId/guardians/:guardianId')
  @Roles('school_admin')
  @Responds(APPEND_PROBLEMS, { 403: ['other_organisation'], 404: ['guardian_not_linked', 'student_not_found'] })
  @Answers(UnlinkGuardianAnswer)
  @Summary('Unlink a guardian from a student. Answers {studentId, guardianId, positionToken}.')
  unlink(
    @Param('studentId', IdParam) studentId: string,
    @Param('guardianId', IdParam) guardianId: string,
    @CallerMunicipality() municipalityId: string,
    @RequestMetadata() metadata: EventMetadataInput,
  ): Promise<UnlinkGuardianResult> {
    return this.commands.execute(new UnlinkGuardianCommand(studentId, guardianId, municipalityId, metadata));
  }
}
