import { randomUUID } from 'node:crypto';
import { eventMetadata, type NewEvent, type RecordedEvent } from '@silta/event-store';
import { CONSENT_EVENT_TYPES, type ConsentEvent } from '../domain';

/** Shape version of the stored consent events; bump it and upcast in `fromRecorded` when they change. */
const SCHEMA_VERSION = 1;

/** A domain event as the store takes it: a fresh id (it also becomes the position token). */
export function toNewEvent(event: ConsentEvent): NewEvent {
  const { type, ...data } = event;
  return { id: randomUUID(), type, data, metadata: eventMetadata({ schemaVersion: SCHEMA_VERSION }) };
}

/** A stored event back as a domain event; the place to upcast older shapes. */
export function fromRecorded(recorded: RecordedEvent): ConsentEvent {
  if (!(CONSENT_EVENT_TYPES as readonly string[]).includes(recorded.type)) {
    throw new Error(`stream ${recorded.streamId}: unknown event type ${recorded.type}`);
  }
  const version = recorded.metadata.schemaVersion ?? 1;
  if (version !== SCHEMA_VERSION) throw new Error(`stream ${recorded.streamId}: ${recorded.type} has unknown schema version ${version}`);
  return { type: recorded.type, ...(recorded.data as object) } as ConsentEvent;
}
