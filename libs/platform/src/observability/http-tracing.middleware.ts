import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { methodOf, routeOf, whenAnswered, type ObservedRequest, type ObservedResponse } from './http-exchange';
import { tracer } from './tracing';

/**
 * A server span per request, continuing the caller's W3C `traceparent` when it sends one. Named by
 * method and route template when the response ends (http-exchange.ts: never the URL, which holds
 * ids). Registered only while tracing is on (tracing.ts).
 */
export function httpTracing(service: string) {
  return (request: ObservedRequest, response: ObservedResponse, next: () => void): void => {
    const method = methodOf(request);
    const parent = propagation.extract(context.active(), request.headers ?? {});
    const span = tracer().startSpan(method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'silta.service': service } }, parent);
    whenAnswered(response, () => {
      const route = routeOf(request);
      span.updateName(`${method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': response.statusCode });
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
