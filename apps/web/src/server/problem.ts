import type { WebResponse as Response } from './http';

/** The problem type of a missing or expired session: the browser code sends the person to sign in again. */
export const SESSION_EXPIRED = 'urn:silta:problem:session-expired';

/**
 * An RFC 9457 problem the web server itself answers (its own routes and the forwarding edge; what a
 * party answers is passed back unchanged). `code` is stable; the type is urn:silta:problem:<code>.
 */
export class WebProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'WebProblem';
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function sendProblem(response: Response, { status, code, detail }: Pick<WebProblem, 'status' | 'code' | 'detail'>, instance?: string): void {
  const body = { type: `urn:silta:problem:${code}`, title: TITLES[status] ?? 'Error', status, code, detail, ...(instance && { instance }) };
  response.status(status).setHeader('cache-control', 'no-store');
  response.type('application/problem+json').send(JSON.stringify(body));
}

/** 401 with the problem type the browser code treats as "sign in again". */
export function sendSessionExpired(response: Response, instance: string): void {
  response.setHeader('www-authenticate', 'Cookie realm="silta"');
  sendProblem(response, { status: 401, code: 'session-expired', detail: 'You are not signed in, or your session has ended; sign in again.' }, instance);
}

export const csrfRefusal = () => new WebProblem(403, 'csrf', 'The x-csrf-token header is missing or is not this session\'s CSRF token (GET /auth/session gives it).');
