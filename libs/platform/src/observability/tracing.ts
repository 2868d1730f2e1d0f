import { context, propagation, trace } from '@opentelemetry/api';
import { carriedContext, inSpan } from '@silta/messaging';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-node';

/**
 * Tracing with OpenTelemetry. Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then the app exports
 * its spans over OTLP/HTTP (`<endpoint>/v1/traces`, the exporter's standard variables apply) and
 * propagates W3C trace context (`traceparent`) on HTTP, in event metadata and in Kafka headers.
 * Off, nothing is registered: @opentelemetry/api's calls are no-ops and the HTTP edge adds no
 * middleware at all.
 *
 * Spans: one per request (server), per event-store append, per roster call (client), per relay
 * publish (producer) and per consumer apply (consumer); a decision that waited for a position token
 * continues the trace of the change it waited for. Carrying the context through the broker is
 * @silta/messaging's (trace-context.ts).
 */
let enabled = false;

/** Whether spans are recorded in this process. */
export function tracingEnabled(): boolean {
  return enabled;
}

/** Starts tracing for `service` when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise does nothing. */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): void {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT || enabled) return;
  installTracing(new OTLPTraceExporter(), service, 'batch');
}

/**
 * Registers a tracer provider exporting to `exporter` (tests: an InMemorySpanExporter, spans
 * exported as each ends). Several apps in one process share it; each span names its app in
 * `silta.service`. Answers a function that unregisters it.
 */
export function installTracing(exporter: SpanExporter, service = 'silta', processing: 'batch' | 'simple' = 'simple'): () => Promise<void> {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `silta-${service}` }),
    spanProcessors: [processing === 'batch' ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter)],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  enabled = true;
  return async () => {
    enabled = false;
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  };
}

/** Silta's tracer. */
export function tracer() {
  return trace.getTracer('silta');
}

/**
 * Runs `work` in a span `name` that continues the trace `traceparent` names (the change a request
 * waited for with a position token), linked to the request's own span; without a traceparent, or
 * with tracing off, just runs it. So one trace runs from a consent withdrawal through the broker
 * to the decision that was made knowing it.
 */
export async function continueTrace<T>(traceparent: string | undefined, name: string, work: () => Promise<T>): Promise<T> {
  if (!traceparent || !enabled) return work();
  const parent = carriedContext({ traceparent })!;
  const current = trace.getActiveSpan();
  const span = tracer().startSpan(name, { links: current ? [{ context: current.spanContext() }] : [] }, parent);
  return inSpan(span, work, parent);
}
