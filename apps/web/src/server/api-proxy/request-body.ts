import type { WebRequest as Request } from '../http';
import { WebProblem } from '../problem';

/** The largest body forwarded, the parties' own limit (libs/platform MAX_BODY_SIZE, 256 kB). */
export const MAX_FORWARDED_BODY_BYTES = 256 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The request's JSON body as bytes to forward, or undefined when it has none. Refused at this edge,
 * before anything is forwarded: over the limit (413), not JSON by its media type (415), not UTF-8 or
 * not JSON (400). The party checks the content itself.
 */
export async function readJsonBody(request: Request): Promise<Buffer | undefined> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_FORWARDED_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORWARDED_BODY_BYTES) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]*\+json$/.test(type)) throw new WebProblem(415, 'unsupported_media_type', 'The body must be JSON (Content-Type: application/json).');
  const body = Buffer.concat(chunks);
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new WebProblem(400, 'encoding_invalid', 'The request body is not valid UTF-8.');
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new WebProblem(400, 'malformed_json', `The request body is not valid JSON: ${(error as Error).message}`);
  }
  return body;
}

const tooLarge = () => new WebProblem(413, 'payload_too_large', `The request body is larger than ${MAX_FORWARDED_BODY_BYTES / 1024} kB.`);
