/**
 * The two cookies the web app sets. Both are `__Host-` cookies (Secure, Path=/, no Domain: only this
 * origin can set or read them) and HttpOnly (no script reads them). Chromium keeps Secure cookies on
 * http://127.0.0.1 and http://localhost (seen with Debian's Chromium through playwright-core, and
 * test/e2e/web-sign-in.e2e.spec.ts signs in through it), which is why plain http is allowed only on
 * loopback (config.ts).
 */
export const SESSION_COOKIE = '__Host-silta-session';
/**
 * The sign-in in progress (PKCE verifier, state, nonce, returnTo). SameSite=Lax, not Strict: the
 * provider's redirect back to /auth/callback is a cross-site navigation in a deployment, and a
 * Strict cookie would not come with it.
 */
export const SIGN_IN_COOKIE = '__Host-silta-sign-in';

/** A Set-Cookie value; maxAgeSeconds 0 clears it. */
export function setCookie(name: string, value: string, maxAgeSeconds: number, sameSite: 'Strict' | 'Lax'): string {
  return `${name}=${value}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; Path=/; Secure; HttpOnly; SameSite=${sameSite}`;
}

/** One cookie's value from a Cookie header, or undefined. Values here are JWEs: no quoting or decoding. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
