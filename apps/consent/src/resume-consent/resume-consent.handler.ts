import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CapacityLog } from '../consent-store/capacity-log';
import { ConsentChanges, type ConsentChangeResult } from '../consent-store/consent-changes';
import { partyOf } from '../http/caller';
import { RosterStanding } from '../roster-view/roster-standing';
import { ResumeConsentCommand } from './resume-consent.command';

/**
 * Resumes a paused consent; the actor must still stand as a grantor (a linked guardian of a student
 * under 18, or the student adult or assessed as deciding for themselves in the consent's fields),
 * so resuming alone of the changes reads the student's capacity and roster's birth date of them.
 */
@CommandHandler(ResumeConsentCommand)
export class ResumeConsentHandler implements ICommandHandler<ResumeConsentCommand> {
  constructor(
    private readonly changes: ConsentChanges,
    private readonly capacityLog: CapacityLog,
    private readonly rosterStanding: RosterStanding,
  ) {}

  execute({ caller, consentId, metadata }: ResumeConsentCommand): Promise<ConsentChangeResult> {
    return this.changes.apply(consentId, partyOf(caller), metadata, async (context, studentId) => ({
      type: 'ResumeConsent',
      ...context,
      roster: context.roster && (await this.rosterStanding.withBirthDate(context.roster)),
      capacity: studentId === undefined ? undefined : await this.capacityLog.read(studentId),
    }));
  }
}
