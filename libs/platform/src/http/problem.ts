import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { TypeORMError } from 'typeorm';
import { Refusal, type RefusalKind } from '@silta/contracts';
import { EventStoreUnavailableError, IdempotencyConflictError, WrongExpectedVersionError } from '@silta/event-store';
import { stackWithoutMessage } from '../logging/loggable-error';
import { securityHeaders } from './security-headers';

/**
 * An RFC 9457 problem with its HTTP status, for the HTTP edge itself (guards, middleware: a missing
 * token, a body that is not JSON). Below the controller, services and domains throw a Refusal, which
 * names a kind instead of a status. `code` is stable and becomes the problem type's last segment.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  [key: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  411: 'Length Required',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The status of each kind of refusal: the one place a refusal becomes HTTP. */
export const REFUSAL_STATUS: Record<RefusalKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  rate_limited: 429,
  upstream_failed: 502,
  corrupted: 500,
};

/** Maps a thrown error to a problem body; unknown errors become a 500 that reveals nothing. */
export function toProblem(error: unknown): ProblemBody {
  if (error instanceof Refusal) return body(REFUSAL_STATUS[error.kind], error.code, error.message, error.extra);
  if (error instanceof ProblemError) return body(error.status, error.code, error.detail, error.extra);
  if (error instanceof EventStoreUnavailableError) {
    return body(503, 'event_store_unavailable', 'The audit trail cannot be written right now; nothing was released. Retry later.');
  }
  if (error instanceof IdempotencyConflictError) {
    return body(409, 'id_reused', 'An id in this request already names something else; use a new id.');
  }
  if (error instanceof WrongExpectedVersionError) {
    return body(409, 'concurrent_modification', 'Someone else changed this at the same time; retry the request.');
  }
  if (isStorageFailure(error)) {
    return body(503, 'storage_unavailable', 'A database this service depends on is unavailable; nothing was released. Retry later.');
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message = typeof response === 'object' && response && 'message' in response ? (response as { message: unknown }).message : error.message;
    return body(status, CODES[status] ?? 'http_error', Array.isArray(message) ? message.join('; ') : String(message));
  }
  const clientError = parserClientError(error);
  if (clientError) return clientError;
  return body(500, 'internal_error', 'An unexpected error occurred.');
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

/**
 * Express's body parsers fail with http-errors objects, not HttpExceptions (a body over the limit,
 * an unsupported charset or encoding, an aborted upload): the client's fault, so a 4xx, never 500.
 */
function parserClientError(error: unknown): ProblemBody | undefined {
  const { status, type, expose, message } = (error ?? {}) as { status?: unknown; type?: unknown; expose?: unknown; message?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true) return undefined;
  const text = typeof message === 'string' ? message : 'the request could not be read';
  switch (type) {
    case 'entity.too.large':
      return body(413, 'payload_too_large', `the request body is larger than this endpoint accepts (${text})`);
    case 'entity.parse.failed':
      return body(400, 'malformed_json', `the request body is not valid JSON: ${text}`);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return body(415, 'unsupported_media_type', text);
    default:
      return body(status, CODES[status] ?? 'bad_request', text);
  }
}

/** Database errors fail closed as 503: TypeORM's own errors and lost or refused connections. */
function isStorageFailure(error: unknown): boolean {
  if (error instanceof TypeORMError) return true;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001'].includes(code)) return true;
  return error instanceof Error && /Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message);
}

function body(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): ProblemBody {
  return { type: `https://silta.example/problems/${code}`, title: TITLES[status] ?? 'Error', status, detail, code, ...extra };
}

/** Answers every error as application/problem+json (RFC 9457). */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('problem');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<{ url: string; method?: string; route?: { path?: string } }>();
    const response = http.getResponse<{
      headersSent: boolean;
      setHeader(name: string, value: string): void;
      status(code: number): { type(t: string): { send(b: string): void } };
    }>();
    const problem: ProblemBody = { ...toProblem(error), instance: request.url };
    // The route's template, not its URL (URLs carry student ids), and no error message (it may quote the request).
    if (problem.status >= 500) this.logger.error(`${request.method ?? 'request'} ${request.route?.path ?? '(no route)'} answered ${problem.status} ${problem.code}`, stackWithoutMessage(error));
    if (response.headersSent) return;
    // Errors raised before the platform's middleware ran (a body parser's) still get its headers.
    securityHeaders(request as never, response as never, () => undefined);
    // A refusal that names when to ask again (rate_limited) says so in the header clients read (RFC 9110).
    if (typeof problem.retryAfter === 'number') response.setHeader('Retry-After', String(problem.retryAfter));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
