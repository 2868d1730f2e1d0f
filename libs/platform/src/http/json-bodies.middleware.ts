import { ProblemError } from './problem';

/** What this middleware reads of an Express request. */
interface Request {
  readonly headers: Record<string, string | string[] | undefined>;
  /** Express's type-is check of Content-Type. */
  is(type: string): string | false | null;
}

/** A request carries a body when it says so (RFC 9112 §6.3): a non-zero Content-Length or a Transfer-Encoding. */
function hasBody(request: Request): boolean {
  if (request.headers['transfer-encoding'] !== undefined) return true;
  const length = request.headers['content-length'];
  return length !== undefined && length !== '0';
}

/**
 * Every body Silta accepts is JSON: a body of any other media type (notably form-encoded, which
 * Express would otherwise parse and a handler decide on) is refused with 415 before any handler.
 */
export function jsonBodiesOnly(request: Request, _response: unknown, next: () => void): void {
  if (hasBody(request) && !request.is('application/json')) {
    const type = String(request.headers['content-type'] ?? 'no content type');
    throw new ProblemError(415, 'unsupported_media_type', `request bodies must be application/json, not ${type}`);
  }
  next();
}
