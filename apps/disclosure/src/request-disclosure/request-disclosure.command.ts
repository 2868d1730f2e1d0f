import type { EventMetadataInput } from '@silta/event-store';
import type { Principal } from '@silta/platform';
import type { Language } from '@silta/decision';
import type { RequestDisclosureBody } from '../shared/disclosure-request';

/** A welfare professional asks for a student's data on a basis. */
export class RequestDisclosure {
  constructor(
    readonly body: RequestDisclosureBody,
    readonly caller: Principal,
    readonly language: Language,
    /** What the decision's audit event records of the request (eventMetadata's convention). */
    readonly metadata: EventMetadataInput = {},
  ) {}
}
