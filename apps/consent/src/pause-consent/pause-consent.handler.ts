import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConsentChanges, type ConsentChangeResult } from '../consent-store/consent-changes';
import { partyOf } from '../http/caller';
import { PauseConsentCommand } from './pause-consent.command';

/** Pauses a consent until it is resumed. */
@CommandHandler(PauseConsentCommand)
export class PauseConsentHandler implements ICommandHandler<PauseConsentCommand> {
  constructor(private readonly changes: ConsentChanges) {}

  execute({ caller, consentId, metadata }: PauseConsentCommand): Promise<ConsentChangeResult> {
    return this.changes.apply(consentId, partyOf(caller), metadata, (context) => ({ type: 'PauseConsent', ...context }));
  }
}
