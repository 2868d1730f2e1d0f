import { SpanKind } from '@opentelemetry/api';
import type { EventStore, NewEvent } from '@silta/event-store';
import { inSpan, traceHeaders } from '@silta/messaging';
import { tracer } from './tracing';

/**
 * The event store with a span per append, whose `traceparent` each appended event carries in its
 * metadata: the relay publishes it on (trace-context.ts). Metadata is not part of an audit leaf, so
 * the audit trail is unchanged. The span is named by the stream's kind (`consent`, `audit`, ...),
 * never its id, which names a student. Used only while tracing is on; the store keeps its class
 * (a proxy), so adapters' own methods still answer.
 */
export function tracedEventStore<T extends EventStore>(store: T, service: string): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const original = Reflect.get(target, property, receiver) as unknown;
      // Both appends (appendWithProjection only where the store has it); their other arguments pass as they are.
      if ((property !== 'appendToStream' && property !== 'appendWithProjection') || typeof original !== 'function') return original;
      return async (streamId: string, events: readonly NewEvent[], ...rest: unknown[]) => {
        const kind = streamId.split('-')[0] ?? 'stream';
        const span = tracer().startSpan(`event-store append ${kind}`, { kind: SpanKind.CLIENT, attributes: { 'silta.service': service, 'silta.stream.kind': kind, 'silta.events': events.length } });
        const carried = traceHeaders(span);
        const traced = events.map((event) => ({ ...event, metadata: { ...event.metadata, ...carried } }));
        return inSpan(span, () => (original as (...args: unknown[]) => Promise<unknown>).call(target, streamId, traced, ...rest));
      };
    },
  });
}
