import type { EventMetadata } from './port';

/** What a writer knows about why an event is being written; every field but the version optional. */
export interface EventMetadataInput {
  /** The HTTP request id (x-request-id) of the request that led to the event, carried on by messages. */
  readonly correlationId?: string;
  /** The id of the message's event that caused this one; absent for a direct HTTP command. */
  readonly causationId?: string;
  /** The caller's `sub`: the actor's id only, no other personal data. */
  readonly actor?: string;
  /** Version of the payload's shape; 1 when not given. */
  readonly schemaVersion?: number;
}

/**
 * The one metadata convention of every Silta event, in every app, audit events included:
 * - correlationId: the x-request-id of the HTTP request that started the work (a fresh id when the
 *   caller sent none), carried on unchanged by every event and message that follows from it;
 * - causationId: the event id of the Kafka message a consumer, relay or projection was handling when
 *   it wrote the event (causedByMessage); absent when a request wrote it directly;
 * - actor: the calling user's or service's `sub`, as roster has always recorded it; absent for work
 *   no caller asked for (a scheduled checkpoint, a consumer). The organisation is not repeated here:
 *   where a rule depends on it, the event's data names it (a receipt's receiver, a decision's
 *   requester), and metadata stays ids only, outside the audit leaf;
 * - schemaVersion: the shape of the payload, 1 unless named, for upcasting on read.
 * Absent fields are left out, so events written before the convention read the same. An audit
 * leaf hashes only the event's type and data, so metadata never changes a leaf.
 */
export function eventMetadata(input: EventMetadataInput = {}): EventMetadata {
  const { correlationId, causationId, actor, schemaVersion = 1 } = input;
  return {
    ...(correlationId !== undefined && { correlationId }),
    ...(causationId !== undefined && { causationId }),
    ...(actor !== undefined && { actor }),
    schemaVersion,
  };
}

/** The metadata input of an event written because of a message: its event id is the cause, its correlation id carried on. */
export function causedByMessage(message: { readonly eventId: string; readonly correlationId?: string | undefined }): EventMetadataInput {
  return { causationId: message.eventId, ...(message.correlationId !== undefined && { correlationId: message.correlationId }) };
}
