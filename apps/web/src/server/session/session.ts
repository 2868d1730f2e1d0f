import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { WebRequest as Request, WebResponse as Response } from '../http';
import { WebProblem } from '../problem';
import { readCookie, SESSION_COOKIE, setCookie } from './cookies';
import { seal, unseal } from './sealed';

/** A signed-in person, as the session cookie holds them. The access token never leaves the server in clear. */
export interface Session {
  readonly accessToken: string;
  readonly subject: string;
  readonly role: string;
  readonly org?: string;
  /** The provider (WEB_OIDC_PROVIDERS name) they signed in with. */
  readonly provider: string;
  /** Seconds since the epoch: the access token's exp, when the session ends. */
  readonly expiresAt: number;
  /** Sent back by the browser code in x-csrf-token on every state-changing call. */
  readonly csrfToken: string;
}

const PURPOSE = 'silta-web:session';
/** Browsers keep cookies up to 4096 bytes; a larger one would be dropped without a word. */
const MAX_COOKIE_BYTES = 4000;

/** Sets the session cookie for a fresh sign-in, with a new CSRF token; it lives as long as the access token. */
export async function startSession(response: Response, key: Uint8Array, identity: Omit<Session, 'csrfToken'>): Promise<Session> {
  const session: Session = { ...identity, csrfToken: randomBytes(32).toString('base64url') };
  const value = await seal({ ...session }, key, PURPOSE, session.expiresAt);
  const cookie = setCookie(SESSION_COOKIE, value, session.expiresAt - Math.floor(Date.now() / 1000), 'Strict');
  if (cookie.length > MAX_COOKIE_BYTES) throw new WebProblem(502, 'token_too_large', 'The sign-in service issued an access token too large for a session cookie.');
  response.append('set-cookie', cookie);
  return session;
}

export function endSession(response: Response): void {
  response.append('set-cookie', setCookie(SESSION_COOKIE, '', 0, 'Strict'));
}

/** The live session of the request, or undefined when there is none, it has expired, or the cookie is not one this server sealed. */
export async function currentSession(request: Request, key: Uint8Array): Promise<Session | undefined> {
  const payload = await unseal(readCookie(request.headers.cookie, SESSION_COOKIE), key, PURPOSE);
  if (!payload || payload === 'expired') return undefined;
  const { accessToken, subject, role, org, provider, expiresAt, csrfToken } = payload as Partial<Session>;
  if (typeof accessToken !== 'string' || typeof subject !== 'string' || typeof role !== 'string' || typeof provider !== 'string' || typeof csrfToken !== 'string' || typeof expiresAt !== 'number') return undefined;
  if (expiresAt <= Date.now() / 1000) return undefined;
  return { accessToken, subject, role, ...(typeof org === 'string' && { org }), provider, expiresAt, csrfToken };
}

/** Whether the request carries the session's CSRF token in x-csrf-token (compared in constant time). */
export function carriesCsrfToken(request: Request, session: Session): boolean {
  const sent = Buffer.from(String(request.headers['x-csrf-token'] ?? ''));
  const expected = Buffer.from(session.csrfToken);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}
