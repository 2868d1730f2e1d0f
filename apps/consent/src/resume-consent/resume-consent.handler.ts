import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConsentChanges, type ConsentChangeResult } from '../consent-store/consent-changes';
import { partyOf } from '../http/caller';
import { ResumeConsentCommand } from './resume-consent.command';

/** Resumes a paused consent; the actor must still stand as a grantor (linked guardian, student with capacity). */
@CommandHandler(ResumeConsentCommand)
export class ResumeConsentHandler implements ICommandHandler<ResumeConsentCommand> {
  constructor(private readonly changes: ConsentChanges) {}

  execute({ caller, consentId }: ResumeConsentCommand): Promise<ConsentChangeResult> {
    return this.changes.apply(consentId, partyOf(caller), (context) => ({ type: 'ResumeConsent', ...context }));
  }
}
