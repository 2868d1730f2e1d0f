import { Inject, Injectable } from '@nestjs/common';
import type { AppendResult, EventMetadata, EventStore } from '@silta/event-store';
import { EVENT_STORE } from '@silta/platform';
import { eventLeafHash } from '@silta/transparency';

/** Every stream whose id starts with this belongs to the party's audit log (one stream per student). */
export const AUDIT_STREAM_PREFIX = 'audit-';

/** The audit stream of one student. */
export function auditStreamOf(studentId: string): string {
  return `${AUDIT_STREAM_PREFIX}${studentId}`;
}

/** Metadata every audit event carries: its RFC 9162 leaf hash, computed before the append. */
export interface AuditEventMetadata extends EventMetadata {
  /** Lowercase hex of eventLeafHash({ type, data }) over exactly the data stored. */
  readonly leafHash: string;
}

/** The metadata for an audit event about to be stored with `data` as its payload. */
export function auditEventMetadata(type: string, data: unknown): AuditEventMetadata {
  return { leafHash: Buffer.from(eventLeafHash({ type, data })).toString('hex') };
}

/**
 * The only way an audit event enters the store: it computes the event's leaf hash from the type
 * and the data exactly as they are handed to the store, and appends both together, so the same
 * hash is on record whichever adapter holds the log. Retrying with the same event id writes nothing.
 * A service narrows `TEvent` to its own audit events.
 */
@Injectable()
export class AuditLog<TEvent extends { readonly type: string } = { readonly type: string }> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async append(studentId: string, eventId: string, event: TEvent): Promise<AppendResult> {
    // A JSON round trip first: the hash covers what the store will hold (undefined members left
    // out), and a value JSON cannot carry fails here, before anything is written.
    const data = JSON.parse(JSON.stringify(event)) as unknown;
    return this.store.appendToStream(
      auditStreamOf(studentId),
      [{ id: eventId, type: event.type, data, metadata: auditEventMetadata(event.type, data) }],
      'any',
    );
  }
}
