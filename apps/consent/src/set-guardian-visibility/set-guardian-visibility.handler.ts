import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConfidentialityLog } from '../consent-store/confidentiality-log';
import { declarantOf } from '../http/caller';
import { RosterView } from '../roster-view/roster-view.reader';
import { SetGuardianVisibilityCommand, type SetGuardianVisibilityResult } from './set-guardian-visibility.command';

/**
 * Records the declaration in the student's confidentiality stream, with who made it, if the domain
 * finds the caller may make it (the student, or a professional assigned to the student's school).
 */
@CommandHandler(SetGuardianVisibilityCommand)
export class SetGuardianVisibilityHandler implements ICommandHandler<SetGuardianVisibilityCommand> {
  constructor(
    private readonly log: ConfidentialityLog,
    private readonly rosterView: RosterView,
  ) {}

  async execute({ caller, studentId, request, metadata }: SetGuardianVisibilityCommand): Promise<SetGuardianVisibilityResult> {
    const actor = declarantOf(caller);
    const { visibility, positionToken } = await this.log.execute({
      type: 'SetGuardianVisibility',
      studentId,
      hiddenRoles: request.hiddenRoles,
      actor,
      standing: await this.rosterView.standingFor(actor, studentId),
      now: new Date(),
    }, metadata);
    return { studentId, hiddenRoles: visibility.hiddenRoles, positionToken };
  }
}
