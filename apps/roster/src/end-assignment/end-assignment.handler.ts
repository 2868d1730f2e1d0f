import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assignmentDecider } from '../domain/assignment';
import { CLOCK, type Clock } from '../shared/clock';
import { RosterStore } from '../shared/roster-store';
import { streams } from '../shared/streams';
import { EndAssignmentCommand } from './end-assignment.command';

/** Appends AssignmentEnded to `assignment-<assignmentId>`. */
@CommandHandler(EndAssignmentCommand)
export class EndAssignmentHandler implements ICommandHandler<EndAssignmentCommand> {
  constructor(
    private readonly roster: RosterStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ assignmentId, welfareAreaId, metadata }: EndAssignmentCommand): Promise<{ assignmentId: string }> {
    await this.roster.execute(
      streams.assignment(assignmentId),
      assignmentDecider,
      { type: 'EndAssignment', assignmentId, byWelfareAreaId: welfareAreaId, endedAt: this.clock.now().toISOString() },
      metadata,
    );
    return { assignmentId };
  }
}
