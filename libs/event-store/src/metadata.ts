import type { EventMetadata } from './port';

/** What a writer knows about why an event is being written; every field but the version optional. */
export interface EventMetadataInput {
  /** The HTTP request id (x-request-id) of the request that led to the event. */
  readonly correlationId?: string;
  /** The id of the message or command that caused the event; absent for a direct HTTP command. */
  readonly causationId?: string;
  /** The caller's `sub`: the actor's id only, no other personal data. */
  readonly actor?: string;
  /** Version of the payload's shape; 1 when not given. */
  readonly schemaVersion?: number;
}

/**
 * The one metadata convention of every Silta event: correlation id, causation id, actor and schema
 * version, with absent fields left out (so events written before the convention read the same).
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
