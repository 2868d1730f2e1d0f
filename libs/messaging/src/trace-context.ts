import { SpanStatusCode, context, propagation, trace, type Context, type Span } from '@opentelemetry/api';

/**
 * W3C trace context carried through the broker. The relay copies an event's `traceparent` (event
 * metadata, written by a traced append) into a publish span and the message's headers; the
 * consumer continues it. Nothing happens for an event or message without one, so an untraced
 * deployment pays nothing here.
 */

/** The context `carrier`'s traceparent names (metadata values, or Kafka header buffers), or undefined without one. */
export function carriedContext(carrier: Readonly<Record<string, unknown>> | undefined): Context | undefined {
  const text: Record<string, string> = {};
  for (const key of ['traceparent', 'tracestate']) {
    const value = carrier?.[key];
    if (typeof value === 'string') text[key] = value;
    else if (Buffer.isBuffer(value)) text[key] = value.toString('utf8');
  }
  if (!text.traceparent) return undefined;
  return propagation.extract(context.active(), text);
}

/** `traceparent` (and `tracestate`) naming `span`. */
export function traceHeaders(span: Span): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), carrier);
  return carrier;
}

export function messagingTracer() {
  return trace.getTracer('silta');
}

/**
 * Runs `work` with `span` active (as the child of `parent`, the active context by default), marks
 * the span failed when `work` throws, and ends it either way.
 */
export async function inSpan<T>(span: Span, work: () => Promise<T>, parent: Context = context.active()): Promise<T> {
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}
