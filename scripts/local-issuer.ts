// One local identity provider, for development only (`npm start` runs three: scripts/local-issuers.ts).
// It speaks the parts of OpenID Connect the apps rely on: discovery
// (/.well-known/openid-configuration) and its signing keys (/jwks), which the apps fetch through
// their trust file; tokens are signed with its own Ed25519 key, `kid` in the header, `iss` its URL.
// Users sign in non-interactively at its token endpoint (an extension grant, RFC 6749 4.5), which
// `npm run token` and the demo loader use: it hands out any subject a token for a role and
// organisation this issuer may assert, to anyone who can reach 127.0.0.1 — a stand-in, not an IdP.
//
// Environment (given by npm start, each issuer only its own key):
//   LOCAL_ISSUER_NAME  municipality | welfare-area | citizen
//   LOCAL_ISSUER_PORT  its port; its URL http://<host>:<port> is the tokens' `iss`
//   LOCAL_ISSUER_HOST  the address it listens on (127.0.0.1; a test puts the welfare area's in a network namespace)
//   LOCAL_ISSUER_KEY   its private Ed25519 JWK (JSON, with kid)
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { importJWK, SignJWT } from 'jose';
import { OrganisationClaim, Subject } from '@silta/contracts';
import { checkIssuerKey, discoveryDocument, issuerSpec, LOCAL_ALGORITHM, LOCAL_AUDIENCE, LOCAL_USER_GRANT, MAX_TOKEN_TTL_SECONDS, publicJwkOf, refusal, type LocalIssuerSpec } from './local-issuers';

const MAX_BODY_BYTES = 16 * 1024;

export async function startIssuer(
  spec: LocalIssuerSpec,
  port: number,
  privateJwk: unknown,
  log: (line: string) => void = console.log,
  host = '127.0.0.1',
): Promise<{ url: string; close: () => Promise<void> }> {
  const key = checkIssuerKey(privateJwk);
  const signingKey = await importJWK({ ...key }, LOCAL_ALGORITHM);
  const jwks = JSON.stringify({ keys: [publicJwkOf(key)] });
  let issuer = `http://${host}:${port}`;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', issuer).pathname;
    if (request.method === 'GET' && path === '/.well-known/openid-configuration') {
      return send(response, 200, { ...discoveryDocument(issuer), token_endpoint: `${issuer}/token`, grant_types_supported: [LOCAL_USER_GRANT], token_endpoint_auth_methods_supported: ['none'] });
    }
    if (request.method === 'GET' && path === '/jwks') {
      response.writeHead(200, { 'content-type': 'application/jwk-set+json', 'cache-control': 'max-age=300' });
      return void response.end(jwks);
    }
    if (path === '/authorize') {
      return send(response, 400, { error: 'unsupported_response_type', error_description: 'the local issuer signs no one in interactively; get a token with npm run token' });
    }
    if (request.method === 'POST' && path === '/token') {
      const form = await readForm(request);
      if (!form) return send(response, 400, { error: 'invalid_request', error_description: 'the body must be application/x-www-form-urlencoded, at most 16 kB' });
      const answer = await token(form);
      if ('error' in answer) log(`refused a token: ${answer.error_description}`);
      else log(`issued a token for ${form.get('sub')} as ${form.get('role')}${form.get('org') ? ` of ${form.get('org')}` : ''}`);
      response.setHeader('cache-control', 'no-store');
      return send(response, 'error' in answer ? 400 : 200, answer);
    }
    send(response, 404, { error: 'not_found' });
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
    const now = Math.floor(Date.now() / 1000);
    const accessToken = await new SignJWT({ role, ...(org && { org }) })
      .setProtectedHeader({ alg: LOCAL_ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(LOCAL_AUDIENCE)
      .setSubject(sub.data)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .sign(signingKey);
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

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
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
  startIssuer(spec, port, JSON.parse(key), console.log, process.env.LOCAL_ISSUER_HOST || '127.0.0.1')
    .then(({ url, close }) => {
      console.log(`${spec.description}: issuer ${url}, keys ${url}/jwks`);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void close().then(() => process.exit(0)));
    })
    .catch((error: Error) => {
      console.error(`local-issuer: ${error.message}`);
      process.exit(1);
    });
}
