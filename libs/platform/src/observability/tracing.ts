import { context, propagation, trace } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import { carriedContext, inSpan } from '@silta/messaging';

/**
 * Tracing with OpenTelemetry. Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then the app exports
 * its spans over OTLP/HTTP (`<endpoint>/v1/traces`, the exporter's standard variables apply) and
 * propagates W3C trace context (`traceparent`) on HTTP, in event metadata and in Kafka headers.
 * Off, nothing is registered: @opentelemetry/api's calls are no-ops and the HTTP edge adds no
 * middleware at all. The SDK and the exporter are loaded only when tracing starts: off, their code
 * would sit in every app's memory unused (bench:memory, issue 17).
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
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when tracing is on
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  installTracing(new OTLPTraceExporter(), service, 'batch');
}

/**
 * Registers a tracer provider exporting to `exporter` (tests: an InMemorySpanExporter, spans
 * exported as each ends). Several apps in one process share it; each span names its app in
 * `silta.service`. Answers a function that unregisters it.
 */
export function installTracing(exporter: SpanExporter, service = 'silta', processing: 'batch' | 'simple' = 'simple'): () => Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { W3CTraceContextPropagator } = require('@opentelemetry/core') as typeof import('@opentelemetry/core');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  /* eslint-enable @typescript-eslint/no-require-imports */
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
