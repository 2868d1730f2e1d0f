import { randomUUID } from 'node:crypto';
import { eventMetadata, type NewEvent, type RecordedEvent } from '@silta/event-store';
import { CONFIDENTIALITY_EVENT_TYPES, type ConfidentialityEvent } from '../domain';

/** Shape version of the stored confidentiality events; bump it and upcast in `fromRecordedConfidentiality`. */
const SCHEMA_VERSION = 1;

/** Whether a stored event is one of a student's confidentiality declarations. */
export function isConfidentialityEvent(recorded: RecordedEvent): boolean {
  return (CONFIDENTIALITY_EVENT_TYPES as readonly string[]).includes(recorded.type);
}

/** A domain event as the store takes it: a fresh id (it also becomes the position token). */
export function toNewConfidentialityEvent(event: ConfidentialityEvent): NewEvent {
  const { type, ...data } = event;
  return { id: randomUUID(), type, data, metadata: eventMetadata({ schemaVersion: SCHEMA_VERSION }) };
}

/** A stored event back as a domain event; the place to upcast older shapes. */
export function fromRecordedConfidentiality(recorded: RecordedEvent): ConfidentialityEvent {
  if (!isConfidentialityEvent(recorded)) throw new Error(`stream ${recorded.streamId}: unknown event type ${recorded.type}`);
  const version = recorded.metadata.schemaVersion ?? 1;
  if (version !== SCHEMA_VERSION) throw new Error(`stream ${recorded.streamId}: ${recorded.type} has unknown schema version ${version}`);
  return { type: recorded.type, ...(recorded.data as object) } as ConfidentialityEvent;
}
