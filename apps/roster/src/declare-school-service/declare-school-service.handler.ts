import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { schoolDecider } from '../domain/school';
import { CLOCK, type Clock } from '../shared/clock';
import { RosterStore } from '../shared/roster-store';
import { streams } from '../shared/streams';
import { DeclareSchoolServiceCommand, type DeclareSchoolServiceResult } from './declare-school-service.command';

/** Appends SchoolServiceDeclared to `school-<schoolId>` when the serving welfare area changes. */
@CommandHandler(DeclareSchoolServiceCommand)
export class DeclareSchoolServiceHandler implements ICommandHandler<DeclareSchoolServiceCommand> {
  constructor(
    private readonly roster: RosterStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ schoolId, body, municipalityId, metadata }: DeclareSchoolServiceCommand): Promise<DeclareSchoolServiceResult> {
    await this.roster.execute(
      streams.school(schoolId),
      schoolDecider,
      { type: 'DeclareSchoolService', schoolId, welfareAreaId: body.welfareAreaId, byMunicipalityId: municipalityId, declaredAt: this.clock.now().toISOString() },
      metadata,
    );
    return { schoolId, welfareAreaId: body.welfareAreaId };
  }
}
