import { PARTIES, type PartyApi } from '../config';

/** A request to forward: the party, and the path and query as they go upstream (still percent-encoded). */
export interface Forwarded {
  readonly party: PartyApi;
  readonly pathAndQuery: string;
}

/**
 * Reads /api/<party>/<path>?<query> from the raw request URL. Only a party's public API (`v1/...`)
 * is reachable: no dot segments, empty segments, backslashes or encoded slashes and backslashes,
 * which a party's router could resolve to somewhere else than this check saw. Undefined: 404.
 */
export function forwardedPath(rawUrl: string): Forwarded | undefined {
  const queryAt = rawUrl.indexOf('?');
  const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const query = queryAt < 0 ? '' : rawUrl.slice(queryAt);
  const match = /^\/api\/([a-z]+)\/(v1\/.*)$/.exec(path);
  if (!match || !(PARTIES as readonly string[]).includes(match[1]!)) return undefined;
  const rest = match[2]!;
  if (rest.includes('\\') || /%(2f|5c|00)/i.test(rest)) return undefined;
  for (const segment of rest.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return undefined; // malformed percent-encoding
    }
    if (segment === '' || decoded === '.' || decoded === '..') return undefined;
  }
  if ([...query].some((c) => c <= ' ' || c === '\u007f')) return undefined; // a raw query holds no spaces or control characters
  return { party: match[1] as PartyApi, pathAndQuery: `/${rest}${query}` };
}
