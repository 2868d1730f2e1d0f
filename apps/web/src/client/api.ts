// Calls the parties' public APIs through the web server (/api/<party>/v1/...), which adds the
// signed-in user's token: the browser never holds it. Every state-changing call carries the
// session's CSRF token. A problem answer (RFC 9457) becomes an ApiProblem whose field errors the
// forms show next to their fields; a 401 means the session ended, and the app returns to sign-in.
export type Party = 'roster' | 'consent' | 'disclosure' | 'receipts';

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }

  get sessionExpired(): boolean {
    return this.status === 401;
  }

  /** The message for one form field: the API's error whose path is that field or starts with it. */
  fieldMessage(field: string): string | undefined {
    return this.errors.find((e) => e.field === field || e.field.startsWith(`${field}.`) || e.field.startsWith(`${field}[`))?.message;
  }
}

let csrfToken: string | undefined;
let language = 'fi';

/** The user's language, sent as Accept-Language: the APIs explain decisions and write reports in it. */
export function setApiLanguage(locale: string): void {
  language = locale;
}
let onSessionExpired: (() => void) | undefined;

/** Set by the session once it knows the user (and cleared at sign-out). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** What to do when an API call finds the session gone: the session provider returns to sign-in. */
export function whenSessionExpires(handler: () => void): void {
  onSessionExpired = handler;
}

export interface CallOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly body?: unknown;
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly signal?: AbortSignal;
}

export async function api<T = unknown>(party: Party, path: string, options: CallOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const response = await fetch(apiUrl(party, path, options.query), {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json, application/problem+json',
      'accept-language': language,
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...(method !== 'GET' && csrfToken && { 'x-csrf-token': csrfToken }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (response.status === 204) return undefined as T;
  const body = await response.json().catch(() => undefined);
  if (!response.ok) {
    const problem = toProblem(response.status, body);
    if (problem.sessionExpired) onSessionExpired?.();
    throw problem;
  }
  return body as T;
}

/** The same-origin URL of an API path, for downloads a plain link can fetch (the session cookie goes with it). */
export function apiUrl(party: Party, path: string, query?: CallOptions['query']): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') search.set(name, String(value));
  const suffix = search.size > 0 ? `?${search}` : '';
  return `/api/${party}/${path.replace(/^\//, '')}${suffix}`;
}

function toProblem(status: number, body: unknown): ApiProblem {
  const problem = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; detail?: unknown; title?: unknown; errors?: unknown };
  const errors = Array.isArray(problem.errors)
    ? problem.errors.filter((e): e is FieldError => typeof e?.field === 'string' && typeof e?.message === 'string')
    : [];
  const detail = typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : `HTTP ${status}`;
  return new ApiProblem(status, typeof problem.code === 'string' ? problem.code : `http_${status}`, detail, errors);
}
