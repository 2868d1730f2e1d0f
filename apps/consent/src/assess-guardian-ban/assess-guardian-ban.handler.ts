import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConfidentialityLog } from '../consent-store/confidentiality-log';
import { declarantOf } from '../http/caller';
import { RosterView } from '../roster-view/roster-view.reader';
import { AssessGuardianBanCommand, type AssessGuardianBanResult } from './assess-guardian-ban.command';

/**
 * Records the assessment in the student's confidentiality stream, with who made it, if the domain
 * finds the caller may (a nurse, doctor or psychologist assigned to the student's school) and there
 * is a ban on curator or psychologist disclosures to assess.
 */
@CommandHandler(AssessGuardianBanCommand)
export class AssessGuardianBanHandler implements ICommandHandler<AssessGuardianBanCommand> {
  constructor(
    private readonly log: ConfidentialityLog,
    private readonly rosterView: RosterView,
  ) {}

  async execute({ caller, studentId, request, metadata }: AssessGuardianBanCommand): Promise<AssessGuardianBanResult> {
    const actor = declarantOf(caller);
    const { visibility, positionToken } = await this.log.execute({
      type: 'AssessGuardianBan',
      studentId,
      outcome: request.outcome,
      why: request.why,
      actor,
      standing: await this.rosterView.standingFor(actor, studentId),
      now: new Date(),
    }, metadata);
    return { studentId, outcome: request.outcome, hiddenRoles: visibility.hiddenRoles, positionToken };
  }
}
