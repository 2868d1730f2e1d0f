/** What the HTTP edge's metrics and tracing read of a request and its response (Express's). */
export interface ObservedRequest {
  readonly method: string;
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
  readonly route?: { readonly path?: unknown };
}
export interface ObservedResponse {
  readonly statusCode: number;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

/** Methods kept as they are; any other (a client can send anything) is `other`, so odd methods cannot grow a label set. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function methodOf(request: ObservedRequest): string {
  return METHODS.has(request.method) ? request.method : 'other';
}

/**
 * The route template the request matched (`/v1/students/:studentId/consents`), never its URL,
 * which carries student and guardian ids; `unmatched` when it matched none.
 */
export function routeOf(request: ObservedRequest): string {
  const path = request.route?.path;
  return typeof path === 'string' ? path : 'unmatched';
}

/** Calls `done` once when the response has been sent or the connection closed, whichever comes first. */
export function whenAnswered(response: ObservedResponse, done: () => void): void {
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    done();
  };
  response.once('finish', once);
  response.once('close', once);
}
