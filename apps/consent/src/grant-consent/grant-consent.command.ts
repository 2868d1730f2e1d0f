import { Command } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import type { Principal } from '@silta/platform';
import type { GrantConsentRequest } from './grant-consent.request';

/** What POST /v1/consents answers. */
export interface GrantConsentResult {
  readonly consentId: string;
  readonly version: number;
  readonly positionToken: string;
}

/** A verified caller asks to grant a consent (or its next version). */
export class GrantConsentCommand extends Command<GrantConsentResult> {
  constructor(
    readonly caller: Principal,
    readonly request: GrantConsentRequest,
    /** What the events this command writes record of the request (eventMetadata's convention). */
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
