import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CapacityLog } from '../consent-store/capacity-log';
import { assessorOf } from '../http/assessor';
import { RosterView } from '../roster-view/roster-view.reader';
import { AssessCapacityCommand, type AssessCapacityResult } from './assess-capacity.command';

/**
 * Records the assessment in the student's capacity stream, with who made it, if the domain finds
 * the caller may make it (a professional of the field, assigned to the student's school).
 */
@CommandHandler(AssessCapacityCommand)
export class AssessCapacityHandler implements ICommandHandler<AssessCapacityCommand> {
  constructor(
    private readonly log: CapacityLog,
    private readonly rosterView: RosterView,
  ) {}

  async execute({ caller, studentId, field, request, metadata }: AssessCapacityCommand): Promise<AssessCapacityResult> {
    const actor = assessorOf(caller);
    const { assessed, positionToken } = await this.log.execute({
      type: 'AssessCapacity',
      studentId,
      field,
      decidesForSelf: request.decidesForSelf,
      assessedOn: request.assessedOn,
      actor,
      standing: await this.rosterView.standingFor({ kind: 'professional', id: actor.id }, studentId),
      now: new Date(),
    }, metadata);
    return {
      studentId,
      field,
      decidesForSelf: assessed.decidesForSelf,
      assessedOn: assessed.assessedOn,
      assessedBy: assessed.assessedBy,
      assessedAt: assessed.at,
      positionToken,
    };
  }
}
