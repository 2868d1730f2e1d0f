import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { chromium, type Browser } from 'playwright-core';
import { freePort, launchApp, type RunningApp } from '@silta/testing';
import { startIssuer } from '../../scripts/local-issuer';
import { generateIssuerKey, issuerSpec } from '../../scripts/local-issuers';

// Sign-in with the authorization code flow and PKCE, end to end over HTTP: a real local issuer
// (its HTTP server in this process), the real web server as its own process, and a small real HTTP
// upstream standing in for a party's API, which records what reaches it. Redirects are followed by
// hand, and the issuer's sign-in form is posted as a browser would; cookies are kept in a jar here.
const root = join(__dirname, '..', '..');
const CLIENT_ID = 'silta-web';
/** The municipality's issuer here signs 2-second tokens: the session that expires. */
const SHORT_TTL_SECONDS = 2;

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let web: RunningApp;
let webOnLocalhost: RunningApp;
let upstream: Server;
const received: Received[] = [];
const closers: Array<() => Promise<void>> = [];
let citizenIssuer: string;
let publicDir: string;

beforeAll(async () => {
  const [webPort, localhostPort] = [await freePort(), await freePort()];
  const webUrl = `http://127.0.0.1:${webPort}`;
  const localhostUrl = `http://localhost:${localhostPort}`;
  const clients = { [CLIENT_ID]: [`${webUrl}/auth/callback`, `${localhostUrl}/auth/callback`] };
  const citizen = await startIssuer(issuerSpec('citizen')!, 0, generateIssuerKey(), () => undefined, '127.0.0.1', { clients });
  const municipality = await startIssuer(issuerSpec('municipality')!, 0, generateIssuerKey(), () => undefined, '127.0.0.1', { clients, tokenTtlSeconds: SHORT_TTL_SECONDS });
  closers.push(citizen.close, municipality.close);
  citizenIssuer = citizen.url;

  upstream = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ method: request.method!, url: request.url!, headers: request.headers, body });
      response.writeHead(201, { 'content-type': 'application/json', 'content-disposition': 'attachment; filename="answer.json"', 'x-internal': 'not for browsers' });
      response.end(JSON.stringify({ answered: true }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => upstream.close(() => resolve())));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;

  publicDir = mkdtempSync(join(tmpdir(), 'silta-web-public-'));
  writeFileSync(join(publicDir, 'index.html'), '<!doctype html><html lang="en"><head><title>Silta</title><script src="/app.js" defer></script></head><body><h1>Silta</h1></body></html>');
  writeFileSync(join(publicDir, 'app.js'), 'document.body.dataset.loaded = "yes";');
  const env = (port: number, publicUrl: string): NodeJS.ProcessEnv => ({
    ...process.env,
    SWC_NODE_PROJECT: join(root, 'tsconfig.json'),
    WEB_PORT: String(port),
    WEB_PUBLIC_URL: publicUrl,
    WEB_SESSION_KEY: randomBytes(32).toString('base64url'),
    WEB_OIDC_PROVIDERS: JSON.stringify([
      { name: 'citizen', issuer: citizen.url, clientId: CLIENT_ID, roles: ['guardian', 'student'] },
      { name: 'municipality', issuer: municipality.url, clientId: CLIENT_ID },
    ]),
    WEB_API_ROSTER: upstreamUrl,
    WEB_PUBLIC_DIR: publicDir,
    LOG_FORMAT: 'json',
  });
  const argv = [process.execPath, '-r', '@swc-node/register', join(root, 'apps', 'web', 'src', 'main.ts')];
  [web, webOnLocalhost] = await Promise.all([
    launchApp({ name: 'web', argv, env: env(webPort, webUrl), url: webUrl }),
    launchApp({ name: 'web-localhost', argv, env: env(localhostPort, localhostUrl), url: `http://127.0.0.1:${localhostPort}` }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([web?.stop(), webOnLocalhost?.stop()]);
  await Promise.all(closers.map((close) => close()));
  rmSync(publicDir, { recursive: true, force: true });
});

/** A browser's cookie store, reduced to what these tests need: name → value, cleared by Max-Age=0. */
class CookieJar {
  readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const [name, value] = [pair!.slice(0, at), pair!.slice(at + 1)];
      if (/max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

async function get(url: string, jar: CookieJar, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header(), ...headers } });
  jar.take(response);
  return response;
}

/** The hidden and chosen fields of the issuer's sign-in page, as the browser would post them. */
function formOf(html: string, person: Record<string, string>): URLSearchParams {
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(name!, value!.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code))));
  }
  for (const [name, value] of Object.entries(person)) form.set(name, value);
  form.set('action', 'sign-in');
  return form;
}

interface SignedIn {
  readonly jar: CookieJar;
  /** Where the web app sent the browser at the end. */
  readonly landedOn: string;
  /** The callback URL the issuer sent the browser to, and the sign-in cookie it was followed with. */
  readonly callback: { url: string; cookie: string };
  /** The Set-Cookie lines of the callback's answer. */
  readonly setCookies: readonly string[];
}

/** The whole flow as a browser runs it: login, the issuer's page, its form, the callback. */
async function signIn(person: { provider: string; sub: string; role: string; org?: string }, returnTo = '/students', base = web.url): Promise<SignedIn> {
  const jar = new CookieJar();
  const login = await get(`${base}/auth/login?${new URLSearchParams({ provider: person.provider, returnTo })}`, jar);
  expect(login.status).toBe(302);
  const authorize = login.headers.get('location')!;
  const page = await get(authorize, new CookieJar());
  expect(page.status).toBe(200);
  const html = await page.text();
  const posted = await fetch(new URL('/authorize', authorize), {
    method: 'POST',
    redirect: 'manual',
    body: formOf(html, { sub: person.sub, role: person.role, ...(person.org && { org: person.org }) }),
  });
  expect(posted.status).toBe(302);
  const callbackUrl = posted.headers.get('location')!;
  const cookie = jar.header();
  const callback = await get(callbackUrl, jar);
  expect({ status: callback.status, body: callback.status === 302 ? '' : await callback.text() }).toEqual({ status: 302, body: '' });
  return { jar, landedOn: callback.headers.get('location')!, callback: { url: callbackUrl, cookie }, setCookies: callback.headers.getSetCookie() };
}

const sessionOf = async (jar: CookieJar, base = web.url) => {
  const response = await get(`${base}/auth/session`, jar);
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Record<string, unknown> };
};

describe('signing in to the web app with the authorization code flow and PKCE', () => {
  it('signs a guardian in: the issuer is asked for a code with S256 PKCE, state and nonce, and /auth/session answers who they are', async () => {
    const login = await fetch(`${web.url}/auth/login?provider=citizen&returnTo=/students`, { redirect: 'manual' });
    const authorize = new URL(login.headers.get('location')!);
    expect(authorize.origin + authorize.pathname).toBe(`${citizenIssuer}/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({ response_type: 'code', client_id: CLIENT_ID, scope: 'openid', code_challenge_method: 'S256', redirect_uri: `${web.url}/auth/callback` });
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    const flowCookie = login.headers.getSetCookie().join('\n');
    expect(flowCookie).toMatch(/^__Host-silta-sign-in=[^;]+; Max-Age=\d+; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
    expect(flowCookie).not.toContain(authorize.searchParams.get('state')); // sealed, not readable

    const { jar, landedOn } = await signIn({ provider: 'citizen', sub: 'guardian-web-1', role: 'guardian' });
    expect(landedOn).toBe('/students');
    expect(jar.cookies.has('__Host-silta-sign-in')).toBe(false); // one callback per login
    const session = await sessionOf(jar);
    expect(session).toMatchObject({ status: 200, body: { subject: 'guardian-web-1', role: 'guardian', provider: 'citizen' } });
    expect(session.body).not.toHaveProperty('org');
    expect(session.body).not.toHaveProperty('accessToken');
    expect(Date.parse(session.body.expiresAt as string)).toBeGreaterThan(Date.now() + 7 * 3600_000); // 8 h tokens
    expect(session.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('sets the session as an encrypted __Host- cookie: HttpOnly, Secure, SameSite=Strict, Path=/, no token in clear', async () => {
    const { jar, setCookies } = await signIn({ provider: 'citizen', sub: 'student-web-1', role: 'student' });
    const line = setCookies.find((cookie) => cookie.startsWith('__Host-silta-session='))!;
    expect(line).toMatch(/^__Host-silta-session=[^;]+; Max-Age=(\d+); Path=\/; Secure; HttpOnly; SameSite=Strict$/);
    expect(Number(/Max-Age=(\d+)/.exec(line)![1])).toBeGreaterThan(7 * 3600); // as long as the 8 h token
    const value = jar.cookies.get('__Host-silta-session')!;
    expect(value.split('.')).toHaveLength(5); // a compact JWE
    expect(Buffer.from(value.split('.')[0]!, 'base64url').toString()).toBe('{"alg":"dir","enc":"A256GCM"}');
    expect(value).not.toContain('student-web-1');
    // Changed by one character, it is no session at all.
    const tampered = new CookieJar();
    tampered.cookies.set('__Host-silta-session', value.slice(0, -2) + (value.endsWith('AA') ? 'AB' : 'AA'));
    expect((await sessionOf(tampered)).status).toBe(401);
  });

  it('forwards a GET to the party with the session\'s bearer token, never the browser\'s Authorization or cookies, and passes the answer back', async () => {
    const { jar } = await signIn({ provider: 'citizen', sub: 'guardian-web-2', role: 'guardian' });
    received.length = 0;
    const response = await get(`${web.url}/api/roster/v1/students/student-1/standing?at=2026-01-01&x=%C3%A4`, jar, { authorization: 'Bearer forged', 'accept-language': 'sv-FI', accept: 'application/json' });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="answer.json"');
    expect(response.headers.get('x-internal')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ answered: true });
    expect(received).toHaveLength(1);
    const [call] = received;
    expect(call!.url).toBe('/v1/students/student-1/standing?at=2026-01-01&x=%C3%A4');
    expect(call!.headers['accept-language']).toBe('sv-FI');
    expect(call!.headers.cookie).toBeUndefined();
    const token = /^Bearer (.+)$/.exec(call!.headers.authorization ?? '')?.[1];
    expect(token).toBeDefined();
    expect(decodeJwt(token!)).toMatchObject({ iss: citizenIssuer, sub: 'guardian-web-2', role: 'guardian', aud: 'silta' });
  });

  it('forwards a POST only with the session\'s CSRF token: without it or with another session\'s, 403 naming csrf and nothing reaches the party', async () => {
    const { jar } = await signIn({ provider: 'citizen', sub: 'guardian-web-3', role: 'guardian' });
    const other = await signIn({ provider: 'citizen', sub: 'guardian-web-4', role: 'guardian' });
    const { csrfToken } = (await sessionOf(jar)).body as { csrfToken: string };
    const otherToken = (await sessionOf(other.jar)).body.csrfToken as string;
    received.length = 0;
    const post = (headers: Record<string, string>) =>
      fetch(`${web.url}/api/roster/v1/students`, { method: 'POST', redirect: 'manual', headers: { cookie: jar.header(), 'content-type': 'application/json', ...headers }, body: JSON.stringify({ studentId: 's-1' }) });
    for (const headers of [{}, { 'x-csrf-token': otherToken }, { 'x-csrf-token': '' }] as Array<Record<string, string>>) {
      const refused = await post(headers);
      expect({ status: refused.status, type: refused.headers.get('content-type') }).toEqual({ status: 403, type: 'application/problem+json; charset=utf-8' });
      expect(await refused.json()).toMatchObject({ code: 'csrf', type: 'urn:silta:problem:csrf' });
    }
    expect(received).toEqual([]);
    const logout = await fetch(`${web.url}/auth/logout`, { method: 'POST', headers: { cookie: jar.header() } });
    expect(logout.status).toBe(403);
    expect((await sessionOf(jar)).status).toBe(200);

    const accepted = await post({ 'x-csrf-token': csrfToken });
    expect(accepted.status).toBe(201);
    expect(received.map(({ method, url, body }) => ({ method, url, body }))).toEqual([{ method: 'POST', url: '/v1/students', body: '{"studentId":"s-1"}' }]);
  });

  it('refuses odd API calls at the edge with a 4xx problem, and forwards none of them', async () => {
    const { jar } = await signIn({ provider: 'citizen', sub: 'guardian-web-5', role: 'guardian' });
    const { csrfToken } = (await sessionOf(jar)).body as { csrfToken: string };
    received.length = 0;
    const call = (path: string, init: RequestInit = {}) => fetch(`${web.url}${path}`, { redirect: 'manual', ...init, headers: { cookie: jar.header(), 'x-csrf-token': csrfToken, ...(init.headers as Record<string, string>) } });
    const cases: Array<[string, RequestInit, number, string]> = [
      ['/api/roster/internal/v1/records', {}, 404, 'not_found'],
      ['/api/roster/v1/../internal/x', {}, 404, 'not_found'],
      ['/api/roster/v1/%2e%2e/internal', {}, 404, 'not_found'],
      ['/api/roster/v1/students%2Fx', {}, 404, 'not_found'],
      ['/api/roster/v1//students', {}, 404, 'not_found'],
      ['/api/roster/v1/%E0%A4%A', {}, 400, 'bad_request'], // Express cannot decode the route parameter
      ['/api/consent/v1/consents', {}, 404, 'not_found'], // not offered by this web app
      ['/api/ledger/v1/x', {}, 404, 'not_found'],
      ['/api/roster/v1/students', { method: 'PATCH', body: '{}', headers: { 'content-type': 'application/json' } }, 405, 'method_not_allowed'],
      ['/api/roster/v1/students', { method: 'POST', body: 'x'.repeat(300 * 1024), headers: { 'content-type': 'application/json' } }, 413, 'payload_too_large'],
      ['/api/roster/v1/students', { method: 'POST', body: 'studentId=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type'],
      ['/api/roster/v1/students', { method: 'POST', body: '{"a":', headers: { 'content-type': 'application/json' } }, 400, 'malformed_json'],
      ['/api/roster/v1/students', { method: 'POST', body: Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), headers: { 'content-type': 'application/json' } }, 400, 'encoding_invalid'],
    ];
    for (const [path, init, status, code] of cases) {
      const response = await call(path, init);
      const body = (await response.json().catch(() => ({}))) as { code?: string };
      expect({ path, status: response.status, code: body.code }).toEqual({ path, status, code });
    }
    expect(received).toEqual([]);
  });

  it('refuses a wrong PKCE verifier and a replayed code at the issuer, and a replayed callback at the web app', async () => {
    // The issuer's token endpoint, as a client that lost its verifier (or an attacker with the code only).
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = `${web.url}/auth/callback`;
    const authorize = new URL(`${citizenIssuer}/authorize`);
    const request = { response_type: 'code', client_id: CLIENT_ID, redirect_uri: redirectUri, scope: 'openid', state: 'st-1', nonce: 'n-1', code_challenge: challenge, code_challenge_method: 'S256' };
    const codeFor = async () => {
      const posted = await fetch(authorize, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ ...request, sub: 'guardian-web-6', role: 'guardian', action: 'sign-in' }) });
      return new URL(posted.headers.get('location')!).searchParams.get('code')!;
    };
    const exchange = (code: string, codeVerifier: string) =>
      fetch(`${citizenIssuer}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: CLIENT_ID, redirect_uri: redirectUri, code_verifier: codeVerifier }) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

    const stolen = await codeFor();
    expect(await exchange(stolen, randomBytes(32).toString('base64url'))).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringContaining('PKCE') } });
    // A code is spent by its first exchange, right or wrong: the right verifier comes too late.
    expect(await exchange(stolen, verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const code = await codeFor();
    const first = await exchange(code, verifier);
    expect(first).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 8 * 3600 } });
    expect(decodeJwt(first.body.id_token as string)).toMatchObject({ aud: CLIENT_ID, nonce: 'n-1', sub: 'guardian-web-6', role: 'guardian', iss: citizenIssuer });
    expect(await exchange(code, verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    // The web app: the same callback (code, state and the sign-in cookie) sent again makes no session.
    const { callback } = await signIn({ provider: 'citizen', sub: 'guardian-web-7', role: 'guardian' });
    const replay = await fetch(callback.url, { redirect: 'manual', headers: { cookie: callback.cookie, accept: 'text/html' } });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('data-code="sign_in_refused"');
    expect(replay.headers.getSetCookie().some((line) => line.startsWith('__Host-silta-session='))).toBe(false);
    // ...and a callback without the sign-in cookie of the browser that started it neither.
    const foreign = await fetch(callback.url, { redirect: 'manual' });
    expect(foreign.status).toBe(400);
    expect(await foreign.json()).toMatchObject({ code: 'sign_in_expired' });
  });

  it('shows an error page for an unregistered client or redirect URI, never a redirect', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const base = { response_type: 'code', client_id: CLIENT_ID, redirect_uri: `${web.url}/auth/callback`, scope: 'openid', state: 's', nonce: 'n', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' };
    for (const change of [{ redirect_uri: 'https://evil.example/auth/callback' }, { redirect_uri: `${web.url}/auth/callback/` }, { client_id: 'someone-else' }]) {
      for (const method of ['GET', 'POST'] as const) {
        const params = new URLSearchParams({ ...base, ...change, sub: 'guardian-web-8', role: 'guardian' });
        const answer = method === 'GET' ? await fetch(`${citizenIssuer}/authorize?${params}`, { redirect: 'manual' }) : await fetch(`${citizenIssuer}/authorize`, { method, body: params, redirect: 'manual' });
        expect({ change, method, status: answer.status, location: answer.headers.get('location') }).toEqual({ change, method, status: 400, location: null });
        expect(await answer.text()).toContain('<h1>Sign-in refused</h1>');
      }
    }
    // A registered client's other mistakes go back to it, with its state and the issuer's iss.
    const noPkce = await fetch(`${citizenIssuer}/authorize?${new URLSearchParams({ ...base, code_challenge_method: 'plain' })}`, { redirect: 'manual' });
    expect(noPkce.status).toBe(302);
    expect(Object.fromEntries(new URL(noPkce.headers.get('location')!).searchParams)).toMatchObject({ error: 'invalid_request', state: 's', iss: citizenIssuer });
  });

  it('passes the chosen language on as ui_locales, and the issuer\'s page answers in it, also when shown again with an error', async () => {
    const authorizeUrl = async (locale: string) => new URL((await fetch(`${web.url}/auth/login?${new URLSearchParams({ provider: 'citizen', returnTo: '/', locale })}`, { redirect: 'manual' })).headers.get('location')!);
    expect((await authorizeUrl('sv')).searchParams.get('ui_locales')).toBe('sv');
    for (const odd of ['de', 'sv fi', 'SV', '', 'x'.repeat(5000)]) expect({ odd, ui_locales: (await authorizeUrl(odd)).searchParams.get('ui_locales') }).toEqual({ odd, ui_locales: null });

    const swedish = await fetch(await authorizeUrl('sv'));
    const html = await swedish.text();
    expect(swedish.status).toBe(200);
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain('<label for="sub">Användar-id</label>');
    expect(html).toContain('<h1>Logga in i Silta</h1>');
    // The form posted back without a user id is shown again in Swedish, its error too.
    const again = await fetch(`${citizenIssuer}/authorize`, { method: 'POST', body: formOf(html, { sub: '', role: 'guardian' }), redirect: 'manual' });
    const againHtml = await again.text();
    expect(again.status).toBe(400);
    expect(againHtml).toContain('<html lang="sv">');
    expect(againHtml).toContain('Skriv ditt användar-id.');

    // The first language the page speaks wins; none of them, or none asked, is English.
    const pageIn = async (uiLocales: string | undefined) => {
      const url = new URL(await authorizeUrl('none'));
      if (uiLocales !== undefined) url.searchParams.set('ui_locales', uiLocales);
      return /<html lang="([^"]+)">/.exec(await (await fetch(url)).text())?.[1];
    };
    expect([await pageIn('de fi-FI sv'), await pageIn('de ja'), await pageIn(undefined)]).toEqual(['fi', 'en', 'en']);
    const refused = await fetch(`${citizenIssuer}/authorize?${new URLSearchParams({ client_id: 'someone-else', ui_locales: 'fi' })}`);
    expect(await refused.text()).toContain('<html lang="fi">');

    const discovery = (await (await fetch(`${citizenIssuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery.ui_locales_supported).toEqual(['fi', 'sv', 'en']);
  });

  it('goes back only to a path on its own origin after signing in', async () => {
    for (const returnTo of ['//evil.example', '/\\evil.example', 'https://evil.example/', '/%0d%0aLocation:x', 'javascript:alert(1)']) {
      const { landedOn } = await signIn({ provider: 'citizen', sub: 'guardian-web-9', role: 'guardian' }, returnTo);
      expect({ returnTo, landedOn }).toEqual({ returnTo, landedOn: returnTo === '/%0d%0aLocation:x' ? returnTo : '/' });
    }
  });

  it('answers 401 session-expired once the access token has expired, on /auth/session and on the API, though the browser still sends the cookie', async () => {
    const { jar } = await signIn({ provider: 'municipality', sub: 'admin-web-2', role: 'school_admin', org: 'municipality:demo' });
    const live = await sessionOf(jar);
    const expiresAt = Date.parse(live.body.expiresAt as string);
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ subject: 'admin-web-2', role: 'school_admin', org: 'municipality:demo', provider: 'municipality' });
    // Wait until the token's exp has passed (not a timing assertion: what follows holds at any later time).
    while (Date.now() <= expiresAt + 1000) await new Promise((resolve) => setTimeout(resolve, 250));
    received.length = 0;
    const session = await sessionOf(jar);
    expect(session).toMatchObject({ status: 401, type: 'application/problem+json; charset=utf-8', body: { type: 'urn:silta:problem:session-expired', status: 401 } });
    const api = await get(`${web.url}/api/roster/v1/schools`, jar);
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ type: 'urn:silta:problem:session-expired' });
    expect(received).toEqual([]);
    expect((await sessionOf(new CookieJar())).body).toMatchObject({ type: 'urn:silta:problem:session-expired' });
  });

  it('signs out with the CSRF token: 204, the cookie cleared, the session gone', async () => {
    const { jar } = await signIn({ provider: 'citizen', sub: 'guardian-web-10', role: 'guardian' });
    const { csrfToken } = (await sessionOf(jar)).body as { csrfToken: string };
    const copy = jar.header();
    const logout = await fetch(`${web.url}/auth/logout`, { method: 'POST', headers: { cookie: jar.header(), 'x-csrf-token': csrfToken } });
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie()).toContain('__Host-silta-session=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict');
    jar.take(logout);
    expect((await sessionOf(jar)).status).toBe(401);
    // The cookie is self-contained: a copy kept from before still reads until its exp (the token's own lifetime).
    expect(copy).toContain('__Host-silta-session=');
  });

  it('serves the bundle under a strict CSP, index.html for the app\'s own pages, problems for the rest', async () => {
    const page = await fetch(`${web.url}/students/s-1/consents`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Silta</h1>');
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;connect-src 'self';object-src 'none';base-uri 'none';frame-ancestors 'none';form-action 'self'",
    );
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await fetch(`${web.url}/app.js`);
    expect({ status: script.status, type: script.headers.get('content-type') }).toEqual({ status: 200, type: 'text/javascript; charset=utf-8' });
    const missing = await fetch(`${web.url}/nothing.json`, { headers: { accept: 'application/json' } });
    expect({ status: missing.status, type: missing.headers.get('content-type') }).toEqual({ status: 404, type: 'application/problem+json; charset=utf-8' });
    const unknownProvider = await fetch(`${web.url}/auth/login?provider=${'x'.repeat(5000)}`, { redirect: 'manual' });
    expect(unknownProvider.status).toBe(400);
    expect(await unknownProvider.json()).toMatchObject({ code: 'unknown_provider' });
    expect(await (await fetch(`${web.url}/auth/providers`)).json()).toEqual({ providers: [{ name: 'citizen', roles: ['guardian', 'student'] }, { name: 'municipality', roles: [] }] });
    expect(await (await fetch(`${web.url}/health`)).json()).toEqual({ status: 'ok', service: 'web' });
  });
});

describe('the session cookie in Debian\'s Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' });
  });
  afterAll(() => browser?.close());

  it.each([
    ['127.0.0.1', () => web.url],
    ['localhost', () => webOnLocalhost.url.replace('127.0.0.1', 'localhost')],
  ])('is kept on plain http://%s (Secure, __Host-) through the issuer\'s sign-in page, and the page can use it', async (_host, base) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base()}/auth/login?provider=citizen&returnTo=/consents`);
    await page.getByLabel('User id').fill('guardian-web-browser');
    await page.getByRole('radio', { name: 'guardian', exact: true }).check();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${base()}/consents`);
    const session = await page.evaluate(async () => {
      const response = await fetch('/auth/session');
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    });
    expect(session).toMatchObject({ status: 200, body: { subject: 'guardian-web-browser', role: 'guardian' } });
    const cookies = await context.cookies();
    expect(cookies.find((cookie) => cookie.name === '__Host-silta-session')).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    // HttpOnly: the page's script cannot read it (the test's tsconfig has no DOM types, hence the cast).
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe('');
    await context.close();
  });
});
