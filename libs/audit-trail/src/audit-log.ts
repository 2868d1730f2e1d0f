import { Inject, Injectable } from '@nestjs/common';
import { eventMetadata, type AppendResult, type EventMetadata, type EventMetadataInput, type EventStore } from '@silta/event-store';
import { EVENT_STORE } from '@silta/platform';
import { canonicalJson, eventLeafHash } from '@silta/transparency';

/** Every stream whose id starts with this belongs to the party's audit log (one stream per student). */
export const AUDIT_STREAM_PREFIX = 'audit-';

/** The audit stream of one student. */
export function auditStreamOf(studentId: string): string {
  return `${AUDIT_STREAM_PREFIX}${studentId}`;
}

/** Metadata every audit event carries: the convention's (eventMetadata) and its RFC 9162 leaf hash, computed before the append. */
export interface AuditEventMetadata extends EventMetadata {
  /** Lowercase hex of eventLeafHash({ type, data }) over exactly the data stored. */
  readonly leafHash: string;
}

/** The metadata for an audit event about to be stored with `data` as its payload; the leaf hash covers type and data only. */
export function auditEventMetadata(type: string, data: unknown, metadata: EventMetadataInput = {}): AuditEventMetadata {
  return { ...eventMetadata(metadata), leafHash: Buffer.from(eventLeafHash({ type, data })).toString('hex') };
}

/**
 * The payload AuditLog.append stores for `event`: a JSON round trip (the hash covers what the store
 * will hold, undefined members left out, and a value JSON cannot carry fails before anything is
 * written), rebuilt from its RFC 8785 canonical text so that its members are in canonical order and
 * `JSON.stringify` — what the stores write — gives that canonical text back. `silta-audit verify`
 * then hashes the stored text as read and parses only when that does not match. Integer-like member
 * names are the exception (JavaScript objects list them first, in numeric order): such a payload is
 * still stored and hashed correctly, verify just takes its slower path for it.
 */
export function auditPayload(event: unknown): unknown {
  return JSON.parse(canonicalJson(JSON.parse(JSON.stringify(event)) as unknown)) as unknown;
}

/**
 * The only way an audit event enters the store: it computes the event's leaf hash from the type
 * and the data exactly as they are handed to the store, and appends both together, so the same
 * hash is on record whichever adapter holds the log. Retrying with the same event id writes nothing.
 * `metadata` says who and what led to the event (eventMetadata's convention); it is not hashed.
 * A service narrows `TEvent` to its own audit events.
 */
@Injectable()
export class AuditLog<TEvent extends { readonly type: string } = { readonly type: string }> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async append(studentId: string, eventId: string, event: TEvent, metadata: EventMetadataInput = {}): Promise<AppendResult> {
    const data = auditPayload(event);
    return this.store.appendToStream(
      auditStreamOf(studentId),
      [{ id: eventId, type: event.type, data, metadata: auditEventMetadata(event.type, data, metadata) }],
      'any',
    );
  }
}
