import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Histogram } from 'prom-client';
import { eventMetadata, type AppendResult, type EventMetadata, type EventMetadataInput, type EventStore, type InlineProjection } from '@silta/event-store';
import { EVENT_STORE, ServiceMetrics } from '@silta/platform';
import { canonicalJson, canonicalJsonHash } from '@silta/transparency';

/** Every stream whose id starts with this belongs to the party's audit log (one stream per student). */
export const AUDIT_STREAM_PREFIX = 'audit-';

/** The audit stream of one student. */
export function auditStreamOf(studentId: string): string {
  return `${AUDIT_STREAM_PREFIX}${studentId}`;
}

/**
 * Metadata every audit event carries: the convention's (eventMetadata) and its leaf format.
 * Events appended since leaf v2 say `leafVersion: 2`: their leaf also hashes the event id, stream,
 * revision and the stream's previous leaf index, which only the log's order settles, so the
 * checkpointer computes it when it sequences the event. What the appender can vouch for is the
 * payload: `dataHash`, so a payload changed in the store is named (by the checkpointer before it
 * signs, by verify when a root no longer matches). Older events hold a v1 `leafHash` instead.
 */
export interface AuditEventMetadata extends EventMetadata {
  readonly leafVersion: 2;
  /** Lower-case hex SHA-256 of the payload's RFC 8785 canonical text. */
  readonly dataHash: string;
}

/** The metadata for an audit event about to be stored with `data` as its payload (docs/audit-log-format.md). */
export function auditEventMetadata(data: unknown, metadata: EventMetadataInput = {}): AuditEventMetadata {
  return { ...eventMetadata(metadata), leafVersion: 2, dataHash: dataHashOf(data) };
}

/** Lower-case hex SHA-256 of a payload's canonical JSON text (an absent payload is stored as null). */
export function dataHashOf(data: unknown): string {
  return canonicalJsonHash(data ?? null);
}

/** The leaf format of a stored audit event: 2 when its metadata says so, else 1. */
export function leafVersionOf(metadata: Readonly<Record<string, unknown>>): 1 | 2 {
  return metadata.leafVersion === 2 ? 2 : 1;
}

/** An audit event's own time: when it was decided, reviewed or received, else when it was recorded. */
export function auditEventTime(data: unknown, recordedAt: Date): string {
  const own = (data ?? {}) as { decidedAt?: unknown; reviewedAt?: unknown; receivedAt?: unknown };
  const time = [own.decidedAt, own.reviewedAt, own.receivedAt].find((value) => typeof value === 'string');
  return (time as string | undefined) ?? recordedAt.toISOString();
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
 * The only way an audit event enters the store: the payload exactly as the store will hold it
 * (auditPayload) with the leaf-v2 metadata. Retrying with the same event id writes nothing.
 * `metadata` says who and what led to the event (eventMetadata's convention); it is not hashed.
 * A service narrows `TEvent` to its own audit events.
 */
@Injectable()
export class AuditLog<TEvent extends { readonly type: string } = { readonly type: string }> {
  private readonly appendDuration: Histogram<'type'> | undefined;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Optional() metrics?: ServiceMetrics) {
    this.appendDuration = metrics?.shared('silta_audit_append_duration_seconds', () =>
      metrics.histogram({
        name: 'silta_audit_append_duration_seconds',
        help: 'How long appending one audit event to the event store took, by event type',
        labelNames: ['type'],
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      }),
    );
  }

  /**
   * Appends `event` to the student's audit stream. With a `projection`, its rows are written in the
   * append's transaction (EventStore.appendWithProjection): only on a store that can, which
   * `projectsInline` tells.
   */
  async append(studentId: string, eventId: string, event: TEvent, metadata: EventMetadataInput = {}, projection?: InlineProjection): Promise<AppendResult> {
    const data = auditPayload(event);
    const stream = auditStreamOf(studentId);
    const events = [{ id: eventId, type: event.type, data, metadata: auditEventMetadata(data, metadata) }];
    if (projection && !this.projectsInline) throw new TypeError("this event store cannot write rows in an append's transaction");
    const timer = this.appendDuration?.startTimer({ type: event.type });
    const result = projection ? await this.store.appendWithProjection!(stream, events, 'any', projection) : await this.store.appendToStream(stream, events, 'any');
    timer?.();
    return result;
  }

  /** Whether append takes a projection: the store writes rows in an append's transaction. */
  get projectsInline(): boolean {
    return this.store.appendWithProjection !== undefined;
  }
}
