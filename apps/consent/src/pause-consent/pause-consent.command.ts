import { Command } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import type { Principal } from '@silta/platform';
import type { ConsentChangeResult } from '../consent-store/consent-changes';

/** A verified caller asks to pause a consent. */
export class PauseConsentCommand extends Command<ConsentChangeResult> {
  constructor(
    readonly caller: Principal,
    readonly consentId: string,
    /** What the events this command writes record of the request (eventMetadata's convention). */
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
