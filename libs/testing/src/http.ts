/** An HTTP answer as the int specs read it: status, content type and the parsed JSON body (empty when none). */
export interface JsonAnswer {
  status: number;
  contentType: string;
  body: Record<string, unknown>;
}

/**
 * A caller of an app under test at `baseUrl`: a bearer token when given, a JSON body (a string is
 * sent as it is, so a spec can send malformed JSON).
 */
export function jsonCaller(baseUrl: string) {
  return async (method: string, path: string, bearer: string | undefined, body?: unknown): Promise<JsonAnswer> => {
    const headers: Record<string, string> = {};
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
}
