import type { RecordedEvent } from '@silta/event-store';
import type { Principal } from '@silta/platform';

/** The injection token of a party's AuditEventScope. */
export const AUDIT_EVENT_SCOPE = Symbol('AUDIT_EVENT_SCOPE');

/**
 * Which of the party's audit events an auditor may see proofs of: each party decides for its own
 * log (the municipality's auditor sees its students' events, a welfare area's auditor its own
 * organisation's). An inclusion proof names an event's place in the log; outside the caller's
 * scope it is answered as if the event did not exist.
 */
export interface AuditEventScope {
  covers(event: RecordedEvent, caller: Principal): Promise<boolean>;
}
