import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assignmentDecider } from '../domain/assignment';
import { CLOCK, type Clock } from '../shared/clock';
import { RosterStore } from '../shared/roster-store';
import { streams } from '../shared/streams';
import { AssignProfessionalCommand } from './assign-professional.command';

/** Looks up the school, then appends ProfessionalAssigned to `assignment-<assignmentId>`. */
@CommandHandler(AssignProfessionalCommand)
export class AssignProfessionalHandler implements ICommandHandler<AssignProfessionalCommand> {
  constructor(
    private readonly roster: RosterStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ body, welfareAreaId, metadata }: AssignProfessionalCommand): Promise<{ assignmentId: string }> {
    const school = await this.roster.school(body.schoolId);
    await this.roster.execute(
      streams.assignment(body.assignmentId),
      assignmentDecider,
      {
        type: 'AssignProfessional',
        assignmentId: body.assignmentId,
        professionalId: body.professionalId,
        role: body.role,
        welfareAreaId: body.welfareAreaId,
        school,
        validFrom: body.validFrom,
        ...(body.validUntil !== undefined && { validUntil: body.validUntil }),
        byWelfareAreaId: welfareAreaId,
        assignedAt: this.clock.now().toISOString(),
      },
      metadata,
    );
    return { assignmentId: body.assignmentId };
  }
}
