import { ContractRegistry, consentContracts } from '@silta/contracts';
import type { NewEvent } from '@silta/event-store';
import { ZodPipe } from '@silta/platform';
import { translateConsentEvent } from './consent-messages';

const contracts = new ContractRegistry(consentContracts);

/**
 * Refuses (400, naming the field) an event about to be appended whose message on silta.consent.v1
 * its contract would refuse: the relay would publish it, disclosure would dead-letter it, and a
 * narrowing change (a withdrawal, a visibility declaration, a ban upheld after an override) would
 * never reach it (issue 10, item 7). Checks exactly what the relay will publish, through the
 * relay's own translation.
 */
export function assertPublishable(streamId: string, events: readonly NewEvent[]): void {
  for (const event of events) {
    const message = translateConsentEvent({ ...event, streamId, revision: 0n, position: 0n, metadata: event.metadata ?? {}, recordedAt: new Date(0) });
    if (!message) continue;
    const contract = contracts.find(message.type, message.schemaVersion);
    if (!contract) throw new Error(`no contract for ${message.type}/v${message.schemaVersion}`);
    new ZodPipe(contract.schema).transform(message.payload);
  }
}
