import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { correlationIdOf } from '../http/request-metadata';

interface RequestContext {
  readonly requestId: string;
}

const requestContext = new AsyncLocalStorage<RequestContext>();

/** The id of the request being served, for its log lines; undefined outside a request. */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

/** Runs `work` as if inside a request with this id (for code that serves a request off the HTTP path, and tests). */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return requestContext.run({ requestId }, work);
}

interface HttpRequest {
  readonly headers: Record<string, string | string[] | undefined>;
}

interface HttpResponse {
  setHeader(name: string, value: string): void;
}

/**
 * Gives every request an id its log lines carry as `request_id`: the caller's `x-request-id` when
 * it is a plain id (correlationIdOf's rule), else a fresh one. The id is written back to the
 * request's `x-request-id`, so the events the request writes are correlated by the same id, and
 * answered in the response's `x-request-id`, so a caller can quote it to the operators.
 */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware {
  use(request: HttpRequest, response: HttpResponse, next: () => void): void {
    const requestId = correlationIdOf(request.headers);
    request.headers['x-request-id'] = requestId;
    response.setHeader('x-request-id', requestId);
    requestContext.run({ requestId }, next);
  }
}
