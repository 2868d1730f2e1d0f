import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * The active span's W3C ids, for a log line written inside it (`trace_id`, `span_id`), or nothing
 * when no span is active (tracing off: OTEL_EXPORTER_OTLP_ENDPOINT unset).
 */
export function currentTraceIds(): { trace_id?: string; span_id?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !isSpanContextValid(context)) return {};
  return { trace_id: context.traceId, span_id: context.spanId };
}
