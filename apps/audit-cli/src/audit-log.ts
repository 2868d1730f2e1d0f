/**
 * The party's audit log as the disclosure service stores it (issue 5): every event in a stream
 * `audit-<studentId>`, in global position order, is one Merkle leaf, and signed checkpoints are
 * `AuditCheckpointSigned` events in the stream `checkpoints-audit`. Read through the event-store
 * port in bounded pages, so nothing here holds the whole log.
 */
import type { EventStore, GlobalPosition, RecordedEvent } from '@silta/event-store';
import { readStreamInPages } from './stream-pages';

export const AUDIT_STREAM_PREFIX = 'audit-';
export const CHECKPOINT_STREAM = 'checkpoints-audit';
export const CHECKPOINT_EVENT_TYPE = 'AuditCheckpointSigned';

/** Events read per query unless the caller asks otherwise. */
export const DEFAULT_PAGE_SIZE = 1000;

/** The payload of an `AuditCheckpointSigned` event. */
export interface AuditCheckpointSigned {
  readonly origin: string;
  readonly size: number;
  /** Base64 root hash; the signed note is authoritative, this copy must agree with it. */
  readonly rootHash: string;
  /** The C2SP signed note whose body is the tlog checkpoint. */
  readonly note: string;
  readonly createdAt: string;
}

export function isAuditEvent(event: RecordedEvent): boolean {
  return event.streamId.startsWith(AUDIT_STREAM_PREFIX);
}

/** `leaf 41 (stream audit-x, revision 3)`: how every message names a leaf. */
export function describeLeaf(index: number, event: Pick<RecordedEvent, 'streamId' | 'revision'>): string {
  return `leaf ${index} (stream ${event.streamId}, revision ${event.revision})`;
}

/**
 * The store-wide log after `after`, one page of `pageSize` events per query, yielding only the
 * audit events. A short page means the end: both adapters fill a page while events remain. The
 * next page is requested as soon as the current one arrives, so at most two are held.
 */
export async function* readAuditEvents(
  store: EventStore,
  options: { readonly pageSize: number; readonly after?: GlobalPosition; readonly onPosition?: (position: GlobalPosition) => void },
): AsyncGenerator<RecordedEvent> {
  const read = (after: GlobalPosition | undefined) => {
    const page = store.readAll({ after, maxCount: options.pageSize });
    page.catch(() => undefined); // a caller that stops early leaves the read-ahead unawaited
    return page;
  };
  let next: Promise<RecordedEvent[]> | undefined = read(options.after);
  while (next) {
    const page: RecordedEvent[] = await next;
    // Read ahead: the database fetches the next page while the caller works through this one.
    next = page.length < options.pageSize ? undefined : read(page[page.length - 1]!.position);
    for (const event of page) {
      options.onPosition?.(event.position);
      if (isAuditEvent(event)) yield event;
    }
  }
}

/** The checkpoint stream in order, a page at a time; nothing when no checkpoint was ever made. */
export function readCheckpointEvents(store: EventStore, pageSize: number): AsyncGenerator<RecordedEvent> {
  return readStreamInPages(store, CHECKPOINT_STREAM, pageSize);
}

/** The newest checkpoint event, or undefined when there is none. */
export async function latestCheckpointEvent(store: EventStore): Promise<RecordedEvent | undefined> {
  const [last] = await store.readStream(CHECKPOINT_STREAM, { direction: 'backwards', maxCount: 1 });
  return last;
}
