// The local issuer's authorization code flow with PKCE (RFC 6749 4.1, RFC 7636, OpenID Connect
// Core 3.1): the authorization request's checks, the stand-in sign-in page, and the single-use
// codes. scripts/local-issuer.ts wires them to HTTP. Development only: the "sign-in" asks who you
// are and believes you, like the extension grant of `npm run token`.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { MAX_ID_LENGTH, OrganisationClaim, Subject } from '@silta/contracts';
import type { SignInText } from './local-issuer-sign-in-text';
import { refusal, type IssuerClients, type LocalIssuerSpec } from './local-issuers';

/** How long a code may wait for its exchange: long enough for a redirect, short enough to be useless when stolen later. */
export const CODE_TTL_MS = 60_000;
/** Codes held at once; more pending sign-ins than this is a flood, refused rather than stored. */
const MAX_PENDING_CODES = 10_000;

/** A validated authorization request: what the page carries in hidden fields and the code remembers. */
export interface AuthorizationRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeChallenge: string;
  readonly scope: string;
}

/** A request the issuer cannot send back to its client: the page says which, in the page's language. */
export interface PageRefusal {
  readonly reason: 'unknown-client' | 'unregistered-redirect';
  readonly clientId: string;
}

/** Where the request goes wrong: before the client and redirect URI are known good it is a page, after it a redirect. */
export type RequestCheck =
  | { readonly ok: true; readonly request: AuthorizationRequest }
  | { readonly ok: false; readonly page: PageRefusal }
  | { readonly ok: false; readonly redirect: string };

const PARAM = /^[\x21-\x7e]{1,512}$/; // visible ASCII, bounded: state and nonce are opaque to us
const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/; // base64url of a SHA-256 (RFC 7636 4.2)
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/; // RFC 7636 4.1

/**
 * Checks an authorization request (from the query on GET, from the page's hidden fields on POST).
 * An unknown client or a redirect URI not registered for it exactly is answered with an error page,
 * never a redirect (RFC 6749 4.1.2.1: an open redirector otherwise); anything else wrong is sent
 * back to the client's redirect URI as an OAuth error with its state and this issuer's iss.
 */
export function checkAuthorizationRequest(params: URLSearchParams, clients: IssuerClients, issuer: string): RequestCheck {
  const clientId = params.get('client_id') ?? '';
  const redirectUri = params.get('redirect_uri') ?? '';
  const registered = Object.hasOwn(clients, clientId) ? clients[clientId]! : undefined;
  if (!registered) return { ok: false, page: { reason: 'unknown-client', clientId: clientId.slice(0, 100) } };
  if (!registered.includes(redirectUri)) return { ok: false, page: { reason: 'unregistered-redirect', clientId } };

  const state = params.get('state') ?? '';
  const back = (error: string, description: string): RequestCheck => {
    const url = new URL(redirectUri);
    url.searchParams.set('error', error);
    url.searchParams.set('error_description', description);
    if (PARAM.test(state)) url.searchParams.set('state', state);
    url.searchParams.set('iss', issuer);
    return { ok: false, redirect: url.href };
  };
  if (params.get('response_type') !== 'code') return back('unsupported_response_type', 'response_type must be code');
  const scope = params.get('scope') ?? '';
  if (!scope.split(' ').includes('openid') || !PARAM.test(scope.replaceAll(' ', '+'))) return back('invalid_scope', 'scope must contain openid');
  if (!PARAM.test(state)) return back('invalid_request', 'state is required (1-512 visible ASCII characters)');
  const nonce = params.get('nonce') ?? '';
  if (!PARAM.test(nonce)) return back('invalid_request', 'nonce is required (1-512 visible ASCII characters)');
  if (params.get('code_challenge_method') !== 'S256') return back('invalid_request', 'code_challenge_method must be S256 (PKCE)');
  const codeChallenge = params.get('code_challenge') ?? '';
  if (!CODE_CHALLENGE.test(codeChallenge)) return back('invalid_request', 'code_challenge must be the base64url SHA-256 of the code verifier');
  return { ok: true, request: { clientId, redirectUri, state, nonce, codeChallenge, scope } };
}

/** Who the person at the page says they are, checked as the extension grant checks it. */
export type SignInCheck = { readonly ok: true; readonly sub: string; readonly role: string; readonly org: string | undefined } | { readonly ok: false; readonly field: 'sub' | 'role' | 'org'; readonly message: string };

/** The message is in the page's language (`text`): it is shown to the person, next to the field. */
export function checkSignIn(spec: LocalIssuerSpec, form: URLSearchParams, text: SignInText): SignInCheck {
  const entered = form.get('sub') ?? '';
  const sub = Subject.safeParse(entered);
  if (!sub.success) {
    const message = entered === '' ? text.userIdMissing : entered.length > MAX_ID_LENGTH ? text.userIdTooLong(MAX_ID_LENGTH) : text.userIdBadCharacters;
    return { ok: false, field: 'sub', message };
  }
  const role = form.get('role') ?? '';
  const roleNames = spec.roles.map((r) => text.roles[r]).join(', ');
  if (!(spec.roles as readonly string[]).includes(role)) return { ok: false, field: 'role', message: text.chooseRole(roleNames) };
  const org = spec.organisations ? form.get('org') || undefined : undefined;
  if (org !== undefined && !OrganisationClaim.safeParse(org).success) return { ok: false, field: 'org', message: text.organisationShape };
  // refusal() words its answer for `npm run token`'s flags; the page names what to choose instead.
  if (refusal(spec, role, org)) {
    return spec.organisations ? { ok: false, field: 'org', message: text.chooseOrganisation(spec.organisations.join(', ')) } : { ok: false, field: 'role', message: text.chooseRole(roleNames) };
  }
  return { ok: true, sub: sub.data, role, org };
}

/** What a code stands for until it is exchanged once. */
export interface IssuedCode extends AuthorizationRequest {
  readonly sub: string;
  readonly role: string;
  readonly org: string | undefined;
  readonly expiresAt: number;
}

/** The pending codes of one issuer, in memory: a restart forgets them, as a short-lived code may be. */
export class CodeStore {
  private readonly codes = new Map<string, IssuedCode>();

  /** A fresh code for the signed-in person, or undefined when too many sign-ins are pending. */
  issue(request: AuthorizationRequest, who: { sub: string; role: string; org: string | undefined }, now = Date.now()): string | undefined {
    for (const [code, issued] of this.codes) if (issued.expiresAt <= now) this.codes.delete(code);
    if (this.codes.size >= MAX_PENDING_CODES) return undefined;
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, { ...request, ...who, expiresAt: now + CODE_TTL_MS });
    return code;
  }

  /**
   * Redeems a code: it is gone after the first attempt, right or wrong (RFC 6749 4.1.2: a code is
   * used once), and it answers only the client it was issued to, at the same redirect URI, with the
   * verifier whose S256 hash the authorization request carried.
   */
  redeem(form: URLSearchParams, now = Date.now()): IssuedCode | string {
    const code = form.get('code') ?? '';
    const issued = this.codes.get(code);
    this.codes.delete(code);
    if (!issued || issued.expiresAt <= now) return 'the code is unknown, used already or expired';
    if (form.get('client_id') !== issued.clientId) return 'the code was issued to another client';
    if (form.get('redirect_uri') !== issued.redirectUri) return 'redirect_uri is not the one of the authorization request';
    const verifier = form.get('code_verifier') ?? '';
    if (!CODE_VERIFIER.test(verifier)) return 'code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~';
    const hash = createHash('sha256').update(verifier).digest();
    const challenge = Buffer.from(issued.codeChallenge, 'base64url');
    if (hash.length !== challenge.length || !timingSafeEqual(hash, challenge)) return 'code_verifier does not match the code_challenge (PKCE)';
    return issued;
  }
}

/** The sign-in page's stylesheet, served at /sign-in.css: the page carries no inline style or script. */
export const SIGN_IN_CSS = `
body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1a1a1a; background: #fff; }
label, legend { display: block; font-weight: 600; margin-top: 1rem; }
input[type=text], select { display: block; width: 100%; padding: .5rem; font-size: 1rem; border: 2px solid #555; border-radius: 4px; box-sizing: border-box; }
fieldset { border: none; padding: 0; margin: 0; }
fieldset label { font-weight: normal; margin-top: .25rem; }
button { margin-top: 1.5rem; margin-right: 1rem; padding: .6rem 1.2rem; font-size: 1rem; border-radius: 4px; border: 2px solid #003479; background: #003479; color: #fff; cursor: pointer; }
button[value=cancel] { background: #fff; color: #003479; }
:focus-visible { outline: 3px solid #c2410c; outline-offset: 2px; }
.error { color: #a4000f; font-weight: 600; }
.note { color: #444; }
`;

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** How the page is shown: its language (kept in a hidden field, so a page shown again with an error keeps it) and words. */
export interface PageLanguage {
  readonly locale: string;
  readonly text: SignInText;
}

/** The stand-in sign-in page: the request in hidden fields, who you are in labelled ones; an error is tied to its field. */
export function signInPage(spec: LocalIssuerSpec, request: AuthorizationRequest, { locale, text }: PageLanguage, entered: URLSearchParams = new URLSearchParams(), error?: { field: string; message: string }): string {
  const hidden = Object.entries({ client_id: request.clientId, redirect_uri: request.redirectUri, state: request.state, nonce: request.nonce, code_challenge: request.codeChallenge, code_challenge_method: 'S256', scope: request.scope, response_type: 'code', ui_locales: locale })
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escape(value)}">`)
    .join('\n      ');
  const describedBy = (field: string) => (error?.field === field ? ' aria-describedby="error" aria-invalid="true"' : '');
  const chosenRole = entered.get('role') ?? spec.roles[0];
  const roles = spec.roles
    .map((role) => `<label><input type="radio" name="role" value="${role}"${role === chosenRole ? ' checked' : ''}> ${escape(text.roles[role])}</label>`)
    .join('\n        ');
  const organisation = spec.organisations
    ? `<label for="org">${escape(text.organisation)}</label>
      <select id="org" name="org"${describedBy('org')}>
        ${spec.organisations.map((org) => `<option${org === (entered.get('org') ?? spec.organisations![0]) ? ' selected' : ''}>${escape(org)}</option>`).join('')}
      </select>`
    : '';
  return `<!doctype html>
<html lang="${locale}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escape(text.title)}</title>
  <link rel="stylesheet" href="/sign-in.css">
</head>
<body>
  <main>
    <h1>${escape(text.heading)}</h1>
    <p class="note">${escape(text.note)}</p>
    ${error ? `<p id="error" class="error" role="alert">${escape(error.message)}</p>` : ''}
    <form method="post" action="/authorize">
      ${hidden}
      <label for="sub">${escape(text.userId)}</label>
      <input type="text" id="sub" name="sub" required autocomplete="username" value="${escape(entered.get('sub') ?? '')}"${describedBy('sub')}>
      <fieldset${describedBy('role')}>
        <legend>${escape(text.role)}</legend>
        ${roles}
      </fieldset>
      ${organisation}
      <button type="submit" name="action" value="sign-in">${escape(text.signIn)}</button>
      <button type="submit" name="action" value="cancel" formnovalidate>${escape(text.cancel)}</button>
    </form>
  </main>
</body>
</html>
`;
}

/** The page for a request that cannot be sent back to its client. */
export function errorPage({ locale, text }: PageLanguage, message: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><title>${escape(text.refusedTitle)}</title><link rel="stylesheet" href="/sign-in.css"></head>
<body><main><h1>${escape(text.refusedTitle)}</h1><p class="error">${escape(message)}</p></main></body>
</html>
`;
}
