import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConsentChanges, type ConsentChangeResult } from '../consent-store/consent-changes';
import { partyOf } from '../http/caller';
import { WithdrawConsentCommand } from './withdraw-consent.command';

/** Withdraws a consent: final, by the grantor or (guardian consents) any linked guardian. */
@CommandHandler(WithdrawConsentCommand)
export class WithdrawConsentHandler implements ICommandHandler<WithdrawConsentCommand> {
  constructor(private readonly changes: ConsentChanges) {}

  execute({ caller, consentId, reason, metadata }: WithdrawConsentCommand): Promise<ConsentChangeResult> {
    return this.changes.apply(consentId, partyOf(caller), metadata, (context) => ({ type: 'WithdrawConsent', ...context, ...(reason ? { reason } : {}) }));
  }
}
