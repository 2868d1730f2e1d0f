import type { ServiceMetrics } from './metrics';

/** The parts of Express's request and response the middleware reads. */
interface TimedRequest {
  readonly method: string;
  readonly route?: { readonly path?: unknown };
}
interface TimedResponse {
  readonly statusCode: number;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

/** Methods kept as a label value; any other (a client can send anything) counts as `other`. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Times every request to the end of its response and records it under its route template
 * (`/v1/students/:studentId/consents`), never its URL: URLs carry student and guardian ids. A
 * request that matched no route is recorded as `unmatched`, so odd paths cannot grow the label set.
 */
export function httpMetrics(metrics: ServiceMetrics) {
  return (request: TimedRequest, response: TimedResponse, next: () => void): void => {
    const started = process.hrtime.bigint();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const path = request.route?.path;
      metrics.httpDuration.observe(
        {
          method: METHODS.has(request.method) ? request.method : 'other',
          route: typeof path === 'string' ? path : 'unmatched',
          status: String(response.statusCode),
        },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    };
    response.once('finish', record);
    response.once('close', record);
    next();
  };
}
