/**
 * Where to go after signing in: a path on this origin only. One leading slash, no `//` (a
 * protocol-relative URL is another host), no backslash (browsers read `/\evil` as `//evil`), no
 * control characters; anything else is `/`. Stops the login from being an open redirector.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return '/';
  if (!value.startsWith('/') || value.includes('//') || value.includes('\\') || [...value].some((c) => c < ' ' || c === '\u007f')) return '/';
  // The URL parser is what the browser will apply to the Location header: it must stay on our origin.
  const base = 'http://silta.invalid';
  const parsed = URL.canParse(value, base) ? new URL(value, base) : undefined;
  return parsed?.origin === base ? value : '/';
}
