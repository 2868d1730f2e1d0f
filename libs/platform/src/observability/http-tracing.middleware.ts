import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { tracer } from './tracing';

interface TracedRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly route?: { readonly path?: unknown };
}
interface TracedResponse {
  readonly statusCode: number;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

/**
 * A server span per request, continuing the caller's W3C `traceparent` when it sends one. Named by
 * method and route template when the response ends (never the URL: it holds ids). Registered only
 * while tracing is on (tracing.ts).
 */
export function httpTracing(service: string) {
  return (request: TracedRequest, response: TracedResponse, next: () => void): void => {
    const parent = propagation.extract(context.active(), request.headers);
    const span = tracer().startSpan(request.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'silta.service': service } }, parent);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = typeof request.route?.path === 'string' ? request.route.path : 'unmatched';
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': response.statusCode });
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    response.once('finish', end);
    response.once('close', end);
    context.with(trace.setSpan(parent, span), next);
  };
}
