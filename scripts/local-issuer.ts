// One local identity provider, for development only (`npm start` runs three: scripts/local-issuers.ts).
// It speaks the parts of OpenID Connect the apps rely on: discovery
// (/.well-known/openid-configuration) and its signing keys (/jwks), which the apps fetch through
// their trust file; tokens are signed with its own Ed25519 key, `kid` in the header, `iss` its URL.
// Users sign in two ways, both stand-ins, not an IdP: the web app sends them through the
// authorization code flow with PKCE (GET /authorize shows a page where they type who they are;
// scripts/local-issuer-sign-in.ts), and `npm run token` and the demo loader ask its token endpoint
// directly (an extension grant, RFC 6749 4.5). Either hands out any subject a token for a role and
// organisation this issuer may assert, to anyone who can reach it.
//
// Environment (given by npm start, each issuer only its own key):
//   LOCAL_ISSUER_NAME  municipality | welfare-area | citizen
//   LOCAL_ISSUER_PORT  its port; its URL http://<host>:<port> is the tokens' `iss`
//   LOCAL_ISSUER_HOST  the address it listens on (127.0.0.1; a test puts the welfare area's in a network namespace)
//   LOCAL_ISSUER_KEY   its private Ed25519 JWK (JSON, with kid)
//   LOCAL_ISSUER_CLIENTS    the code flow's clients: JSON {"<clientId>": ["<redirectUri>", ...]}
//   LOCAL_ISSUER_TOKEN_TTL  lifetime of code-flow tokens in seconds (default 8 h; tests shorten it)
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { importJWK, SignJWT, type JWTPayload } from 'jose';
import { OrganisationClaim, Subject } from '@silta/contracts';
import { checkAuthorizationRequest, checkSignIn, CodeStore, errorPage, SIGN_IN_CSS, signInPage, type PageLanguage, type PageRefusal } from './local-issuer-sign-in';
import { signInLocale, signInText } from './local-issuer-sign-in-text';
import {
  checkIssuerKey,
  CODE_FLOW_TOKEN_TTL_SECONDS,
  codeFlowTokenTtl,
  discoveryDocument,
  issuerSpec,
  LOCAL_ALGORITHM,
  LOCAL_AUDIENCE,
  LOCAL_USER_GRANT,
  MAX_TOKEN_TTL_SECONDS,
  parseIssuerClients,
  publicJwkOf,
  refusal,
  type IssuerClients,
  type LocalIssuerSpec,
} from './local-issuers';

const MAX_BODY_BYTES = 16 * 1024;

export async function startIssuer(
  spec: LocalIssuerSpec,
  port: number,
  privateJwk: unknown,
  log: (line: string) => void = console.log,
  host = '127.0.0.1',
  /** The code flow's registered clients, and the lifetime of its tokens in seconds. */
  codeFlow: { clients?: IssuerClients; tokenTtlSeconds?: number } = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const key = checkIssuerKey(privateJwk);
  const signingKey = await importJWK({ ...key }, LOCAL_ALGORITHM);
  const jwks = JSON.stringify({ keys: [publicJwkOf(key)] });
  const clients = codeFlow.clients ?? {};
  const codeFlowTtl = codeFlow.tokenTtlSeconds ?? CODE_FLOW_TOKEN_TTL_SECONDS;
  const codes = new CodeStore();
  let issuer = `http://${host}:${port}`;

  const sign = (claims: JWTPayload, sub: string, audience: string, ttl: number) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: LOCAL_ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(sub)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .sign(signingKey);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', issuer).pathname;
    if (request.method === 'GET' && path === '/.well-known/openid-configuration') {
      return send(response, 200, discoveryDocument(issuer));
    }
    if (request.method === 'GET' && path === '/jwks') {
      response.writeHead(200, { 'content-type': 'application/jwk-set+json', 'cache-control': 'max-age=300' });
      return void response.end(jwks);
    }
    if (request.method === 'GET' && path === '/sign-in.css') {
      response.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=300' });
      return void response.end(SIGN_IN_CSS);
    }
    if (path === '/authorize' && (request.method === 'GET' || request.method === 'POST')) {
      const params = request.method === 'GET' ? new URL(request.url ?? '/', issuer).searchParams : await readForm(request);
      if (!params) return page(response, 400, errorPage(language(null), 'The form must be sent as application/x-www-form-urlencoded, at most 16 kB.'));
      return authorize(request.method, params, response);
    }
    if (request.method === 'POST' && path === '/token') {
      const form = await readForm(request);
      if (!form) return send(response, 400, { error: 'invalid_request', error_description: 'the body must be application/x-www-form-urlencoded, at most 16 kB' });
      if (form.get('grant_type') === 'authorization_code') return send(response, ...(await codeGrant(form)), { 'cache-control': 'no-store' });
      const answer = await token(form);
      if ('error' in answer) log(`refused a token: ${answer.error_description}`);
      else log(`issued a token for ${form.get('sub')} as ${form.get('role')}${form.get('org') ? ` of ${form.get('org')}` : ''}`);
      response.setHeader('cache-control', 'no-store');
      return send(response, 'error' in answer ? 400 : 200, answer);
    }
    send(response, 404, { error: 'not_found' });
  };

  /** The page's language: the first of the client's ui_locales (OpenID Connect Core 3.1.2.1) it speaks. */
  const language = (uiLocales: string | null): PageLanguage => {
    const locale = signInLocale(uiLocales);
    return { locale, text: signInText(locale, spec.name) };
  };
  const refusalText = ({ text }: PageLanguage, { reason, clientId }: PageRefusal): string =>
    reason === 'unknown-client' ? text.unknownClient(clientId) : text.unregisteredRedirect(clientId);

  /** GET shows the sign-in page for a good request; POST signs the person in and sends the code back. */
  const authorize = (method: string, params: URLSearchParams, response: ServerResponse): void => {
    const shown = language(params.get('ui_locales'));
    const checked = checkAuthorizationRequest(params, clients, issuer);
    if (!checked.ok) {
      if ('page' in checked) {
        log(`refused an authorization request: ${refusalText(language(null), checked.page)}`);
        return page(response, 400, errorPage(shown, refusalText(shown, checked.page)));
      }
      return redirect(response, checked.redirect);
    }
    const { request } = checked;
    // The form posts here and is then redirected to the client: form-action must allow both (CSP 3 checks redirects).
    const formAction = `'self' ${new URL(request.redirectUri).origin}`;
    if (method === 'GET') return page(response, 200, signInPage(spec, request, shown), formAction);
    const back = new URL(request.redirectUri);
    back.searchParams.set('state', request.state);
    back.searchParams.set('iss', issuer);
    if (params.get('action') === 'cancel') {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'the user cancelled the sign-in');
      return redirect(response, back.href);
    }
    const who = checkSignIn(spec, params, shown.text);
    if (!who.ok) return page(response, 400, signInPage(spec, request, shown, params, who), formAction);
    const code = codes.issue(request, who);
    if (!code) return page(response, 503, errorPage(shown, shown.text.tooManyPending));
    log(`signed in ${who.sub} as ${who.role}${who.org ? ` of ${who.org}` : ''} for ${request.clientId}`);
    back.searchParams.set('code', code);
    redirect(response, back.href);
  };

  /** The code's exchange: an access token as the extension grant's, and an ID token for the client. */
  const codeGrant = async (form: URLSearchParams): Promise<[number, Record<string, unknown>]> => {
    const issued = codes.redeem(form);
    if (typeof issued === 'string') {
      log(`refused a code: ${issued}`);
      return [400, { error: 'invalid_grant', error_description: issued }];
    }
    const claims = { role: issued.role, ...(issued.org && { org: issued.org }) };
    const accessToken = await sign(claims, issued.sub, LOCAL_AUDIENCE, codeFlowTtl);
    const idToken = await sign({ ...claims, nonce: issued.nonce }, issued.sub, issued.clientId, codeFlowTtl);
    log(`issued tokens for ${issued.sub} as ${issued.role}${issued.org ? ` of ${issued.org}` : ''} to ${issued.clientId}`);
    return [200, { access_token: accessToken, id_token: idToken, token_type: 'Bearer', expires_in: codeFlowTtl, scope: 'openid' }];
  };

  const token = async (form: URLSearchParams): Promise<Record<string, unknown>> => {
    const invalid = (error_description: string, error = 'invalid_request') => ({ error, error_description });
    if (form.get('grant_type') !== LOCAL_USER_GRANT) return invalid(`grant_type must be ${LOCAL_USER_GRANT}`, 'unsupported_grant_type');
    const sub = Subject.safeParse(form.get('sub') ?? undefined);
    if (!sub.success) return invalid(`sub: ${sub.error.issues[0]!.message}`);
    const role = form.get('role') ?? '';
    const org = form.get('org') || undefined;
    if (org !== undefined && !OrganisationClaim.safeParse(org).success) return invalid('org must look like municipality:<id> or welfare-area:<id>');
    const refused = refusal(spec, role, org);
    if (refused) return invalid(refused, 'invalid_scope');
    const ttl = Number(form.get('ttl') ?? 8 * 3600);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) return invalid(`ttl must be whole seconds, 1 to ${MAX_TOKEN_TTL_SECONDS}`);
    const accessToken = await sign({ role, ...(org && { org }) }, sub.data, LOCAL_AUDIENCE, ttl);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: ttl };
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      log(`error: ${error.message}`);
      if (!response.headersSent) send(response, 500, { error: 'server_error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  if (address && typeof address === 'object') issuer = `http://${host}:${address.port}`;
  return { url: issuer, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** An HTML page under a CSP that allows its own stylesheet and nothing else to run or load. */
function page(response: ServerResponse, status: number, html: string, formAction = "'self'"): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; style-src 'self'; form-action ${formAction}; base-uri 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  response.end(html);
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  response.end();
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams | undefined> {
  if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return undefined;
  let body = '';
  for await (const chunk of request) {
    body += (chunk as Buffer).toString('utf8');
    if (body.length > MAX_BODY_BYTES) return undefined;
  }
  return new URLSearchParams(body);
}

if (require.main === module) {
  const spec = issuerSpec(process.env.LOCAL_ISSUER_NAME ?? '');
  const port = Number(process.env.LOCAL_ISSUER_PORT);
  const key = process.env.LOCAL_ISSUER_KEY;
  if (!spec || !Number.isInteger(port) || port < 0 || port > 65535 || !key) {
    console.error('local-issuer: set LOCAL_ISSUER_NAME (municipality, welfare-area or citizen), LOCAL_ISSUER_PORT and LOCAL_ISSUER_KEY (its private JWK)');
    process.exit(2);
  }
  let codeFlow: { clients: IssuerClients; tokenTtlSeconds: number };
  try {
    codeFlow = { clients: parseIssuerClients(process.env.LOCAL_ISSUER_CLIENTS), tokenTtlSeconds: codeFlowTokenTtl(process.env.LOCAL_ISSUER_TOKEN_TTL) };
  } catch (error) {
    console.error(`local-issuer: ${(error as Error).message}`);
    process.exit(2);
  }
  startIssuer(spec, port, JSON.parse(key), console.log, process.env.LOCAL_ISSUER_HOST || '127.0.0.1', codeFlow)
    .then(({ url, close }) => {
      console.log(`${spec.description}: issuer ${url}, keys ${url}/jwks`);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void close().then(() => process.exit(0)));
    })
    .catch((error: Error) => {
      console.error(`local-issuer: ${error.message}`);
      process.exit(1);
    });
}
