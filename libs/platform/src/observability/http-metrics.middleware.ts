import { methodOf, routeOf, whenAnswered, type ObservedRequest, type ObservedResponse } from './http-exchange';
import { secondsSince, type ServiceMetrics } from './metrics';

/**
 * Times every request to the end of its response and records it under its route template, method
 * and status (http-exchange.ts: never the URL, odd methods and unmatched paths folded).
 */
export function httpMetrics(metrics: ServiceMetrics) {
  return (request: ObservedRequest, response: ObservedResponse, next: () => void): void => {
    const started = process.hrtime.bigint();
    whenAnswered(response, () =>
      metrics.httpDuration.observe({ method: methodOf(request), route: routeOf(request), status: String(response.statusCode) }, secondsSince(started)),
    );
    next();
  };
}
