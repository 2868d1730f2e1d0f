import { Command } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import type { Principal } from '@silta/platform';
import type { ConsentChangeResult } from '../consent-store/consent-changes';

/** A verified caller asks to withdraw a consent for good. */
export class WithdrawConsentCommand extends Command<ConsentChangeResult> {
  constructor(
    readonly caller: Principal,
    readonly consentId: string,
    readonly reason: string | undefined,
    /** What the events this command writes record of the request (eventMetadata's convention). */
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
