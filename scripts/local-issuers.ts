// The three local identity providers `npm start` runs (scripts/local-issuer.ts), one per party
// that signs user tokens: what each may assert, where it listens, and the trust files that say
// which party accepts which of them. Plain data and pure functions: tests read them directly.
import { createHash, createPrivateKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import type { Role } from '@silta/platform/auth/principal';
import { SIGN_IN_LOCALES } from './local-issuer-sign-in-text';

export type IssuerName = 'municipality' | 'welfare-area' | 'citizen';

export interface LocalIssuerSpec {
  readonly name: IssuerName;
  /** The environment variable that moves its port, and the default. */
  readonly portVariable: string;
  readonly defaultPort: number;
  /** What it stands in for, shown by `npm start` and the token CLI. */
  readonly description: string;
  /** The roles it may assert; a trust file lists no others for it. */
  readonly roles: readonly Role[];
  /** The organisations it may assert (`org`); undefined: it asserts none (citizens). */
  readonly organisations?: readonly string[];
}

export const LOCAL_MUNICIPALITY = 'municipality:demo';
export const LOCAL_WELFARE_AREA = 'welfare-area:demo';

export const LOCAL_ISSUERS: readonly LocalIssuerSpec[] = [
  {
    name: 'municipality',
    portVariable: 'MUNICIPALITY_ISSUER_PORT',
    defaultPort: 3010,
    description: "the municipality's staff identity provider",
    roles: ['school_admin', 'sis', 'auditor'],
    organisations: [LOCAL_MUNICIPALITY],
  },
  {
    name: 'welfare-area',
    portVariable: 'WELFARE_AREA_ISSUER_PORT',
    defaultPort: 3011,
    description: "the welfare area's staff identity provider",
    roles: ['welfare_admin', 'curator', 'psychologist', 'nurse', 'doctor', 'auditor'],
    organisations: [LOCAL_WELFARE_AREA],
  },
  {
    name: 'citizen',
    portVariable: 'CITIZEN_ISSUER_PORT',
    defaultPort: 3012,
    description: 'strong identification of guardians and students (stands in for Suomi.fi)',
    roles: ['guardian', 'student'],
  },
];

export const ISSUER_NAMES = LOCAL_ISSUERS.map((issuer) => issuer.name);

/** The audience every local issuer puts in its tokens, and every trust file expects. */
export const LOCAL_AUDIENCE = 'silta';
/** The one signing algorithm of the local issuers (Ed25519). */
export const LOCAL_ALGORITHM = 'EdDSA';
/** The local issuers' token-endpoint grant (an extension grant, RFC 6749 4.5): the request names the user and role. */
export const LOCAL_USER_GRANT = 'urn:silta:params:oauth:grant-type:local-user';
/** The longest a token may live: the trust file's bound on exp - iat. */
export const MAX_TOKEN_TTL_SECONDS = 12 * 3600;

export function issuerSpec(name: string): LocalIssuerSpec | undefined {
  return LOCAL_ISSUERS.find((issuer) => issuer.name === name);
}

/** The issuer's port: its variable from the environment, else the default. */
export function issuerPort(spec: LocalIssuerSpec, env: NodeJS.ProcessEnv): number {
  const value = env[spec.portVariable];
  if (!value) return spec.defaultPort;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${spec.portVariable} must be a port number (1-65535), got ${JSON.stringify(value)}`);
  return port;
}

/**
 * The issuer's URL, which is also the exact `iss` of its tokens: http://<host>:<port>, the host
 * 127.0.0.1 unless its `*_ISSUER_HOST` variable names another (the two-party test's namespace).
 */
export function issuerUrl(spec: LocalIssuerSpec, env: NodeJS.ProcessEnv): string {
  const host = env[spec.portVariable.replace(/_PORT$/, '_HOST')] || '127.0.0.1';
  return `http://${host}:${issuerPort(spec, env)}`;
}

/** Why the issuer may not assert this role and organisation, or undefined when it may. */
export function refusal(spec: LocalIssuerSpec, role: string, org: string | undefined): string | undefined {
  if (!(spec.roles as readonly string[]).includes(role)) {
    const others = LOCAL_ISSUERS.filter((other) => (other.roles as readonly string[]).includes(role)).map((other) => other.name);
    return `the ${spec.name} issuer may not assert role "${role}" (it asserts ${spec.roles.join(', ')})${others.length ? `; ${role} tokens come from --issuer ${others.join(' or ')}` : ''}`;
  }
  if (!spec.organisations) {
    return org === undefined ? undefined : `the ${spec.name} issuer asserts no organisation; leave out --org`;
  }
  if (org === undefined) return `the ${spec.name} issuer's tokens name an organisation: --org ${spec.organisations.join(' or ')}`;
  if (!spec.organisations.includes(org)) return `the ${spec.name} issuer may not assert organisation "${org}" (it asserts ${spec.organisations.join(', ')})`;
  return undefined;
}

/** An Ed25519 private key as a JWK, with `kid` (its RFC 7638 thumbprint), `alg` and `use`. */
export interface IssuerPrivateJwk extends JsonWebKey {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly d: string;
  readonly kid: string;
  readonly alg: 'EdDSA';
  readonly use: 'sig';
}

export type IssuerPublicJwk = Omit<IssuerPrivateJwk, 'd'>;

/** A fresh issuer signing key. */
export function generateIssuerKey(): IssuerPrivateJwk {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' }) as { crv: 'Ed25519'; x: string; d: string };
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d, kid: thumbprint(jwk.x), alg: LOCAL_ALGORITHM, use: 'sig' };
}

/** The public half, as the issuer's JWKS serves it and a trust file may embed it. */
export function publicJwkOf(key: IssuerPrivateJwk): IssuerPublicJwk {
  const { d: _private, ...rest } = key;
  return rest;
}

/** Checks a stored issuer key: an Ed25519 private JWK whose kid is its thumbprint and whose x is its public half. */
export function checkIssuerKey(value: unknown): IssuerPrivateJwk {
  const key = value as Partial<IssuerPrivateJwk> | undefined;
  if (!key || key.kty !== 'OKP' || key.crv !== 'Ed25519' || typeof key.d !== 'string' || typeof key.x !== 'string') throw new Error('not an Ed25519 private JWK');
  const derived = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.x, d: key.d }, format: 'jwk' }).export({ format: 'jwk' }) as { x: string };
  if (derived.x !== key.x) throw new Error('its public half (x) does not belong to its private half (d)');
  if (key.kid !== thumbprint(key.x)) throw new Error('its kid is not its RFC 7638 thumbprint');
  return { kty: 'OKP', crv: 'Ed25519', x: key.x, d: key.d, kid: key.kid, alg: LOCAL_ALGORITHM, use: 'sig' };
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of an Ed25519 public key. */
function thumbprint(x: string): string {
  return createHash('sha256').update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x })).digest('base64url');
}

/** One `issuers:` entry of a trust file (libs/platform/src/auth/trusted-issuers.ts reads it). */
export interface TrustedIssuerEntry {
  readonly name: string;
  readonly issuer: string;
  readonly jwksUri?: string;
  readonly keys?: readonly IssuerPublicJwk[];
  readonly audience: string;
  readonly algorithms: readonly string[];
  readonly roles: readonly Role[];
  readonly organisations?: readonly string[];
}

export interface TrustFile {
  readonly issuers: readonly TrustedIssuerEntry[];
}

export type Party = 'municipality' | 'welfare-area';

/**
 * What each party trusts. The municipality's roster, consent and disclosure accept its own staff,
 * the welfare area's staff (they assign professionals, ask for disclosures and audit their own
 * organisation's requests) and citizens. The welfare area's receipts accepts only its own
 * professionals and auditors: no other role calls its API (@Roles in apps/receipts, and the
 * audit log's endpoints).
 */
export const TRUST: Record<Party, ReadonlyArray<{ issuer: IssuerName; roles?: readonly Role[] }>> = {
  municipality: [{ issuer: 'municipality' }, { issuer: 'welfare-area' }, { issuer: 'citizen' }],
  'welfare-area': [{ issuer: 'welfare-area', roles: ['curator', 'psychologist', 'nurse', 'doctor', 'auditor'] }],
};

/**
 * The party's trust file for the local issuers: each by its JWKS URL, or, given `keys`, with its
 * public key inline (for a stack that cannot reach the issuers, such as compose's).
 */
export function trustFileFor(party: Party, env: NodeJS.ProcessEnv, keys?: Partial<Record<IssuerName, IssuerPublicJwk>>): TrustFile {
  return {
    issuers: TRUST[party].map(({ issuer, roles }) => {
      const spec = issuerSpec(issuer)!;
      const url = issuerUrl(spec, env);
      const key = keys?.[issuer];
      if (keys && !key) throw new Error(`no public key given for the ${issuer} issuer`);
      return {
        name: issuer,
        issuer: url,
        ...(key ? { keys: [key] } : { jwksUri: `${url}/jwks` }),
        audience: LOCAL_AUDIENCE,
        algorithms: [LOCAL_ALGORITHM],
        roles: roles ?? spec.roles,
        ...(spec.organisations && { organisations: spec.organisations }),
      };
    }),
  };
}

/** The issuer's OpenID Connect discovery document (OpenID Connect Discovery 1.0, section 3). */
export function discoveryDocument(issuer: string): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${issuer}/jwks`,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    // The authorization code flow with PKCE (S256 only) for the web app, and the extension grant
    // for `npm run token` and the demo loader.
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    code_challenge_methods_supported: ['S256'],
    grant_types_supported: ['authorization_code', LOCAL_USER_GRANT],
    // Public clients only: a browser app's server proves itself by its registered redirect URI and PKCE.
    token_endpoint_auth_methods_supported: ['none'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [LOCAL_ALGORITHM],
    claims_supported: ['iss', 'aud', 'sub', 'iat', 'exp', 'nonce', 'role', 'org'],
    scopes_supported: ['openid'],
    // The sign-in page speaks the web app's languages; the client asks with ui_locales.
    ui_locales_supported: [...SIGN_IN_LOCALES],
    // RFC 9207: the authorization response names the issuer, so a client can tell mix-ups.
    authorization_response_iss_parameter_supported: true,
  };
}

/** The lifetime of tokens issued through the authorization code flow (a working day) unless LOCAL_ISSUER_TOKEN_TTL says otherwise. */
export const CODE_FLOW_TOKEN_TTL_SECONDS = 8 * 3600;

/** The clients registered with a local issuer: client_id → its exact redirect URIs (LOCAL_ISSUER_CLIENTS). */
export type IssuerClients = Readonly<Record<string, readonly string[]>>;

/**
 * Reads LOCAL_ISSUER_CLIENTS, JSON `{ "<clientId>": ["<redirectUri>", ...] }`; each redirect URI an
 * absolute http(s) URL without a fragment. Throws naming what is wrong.
 */
export function parseIssuerClients(text: string | undefined): IssuerClients {
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('LOCAL_ISSUER_CLIENTS must be JSON: {"<clientId>": ["<redirectUri>", ...]}');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('LOCAL_ISSUER_CLIENTS must be a JSON object: {"<clientId>": ["<redirectUri>", ...]}');
  const clients: Record<string, string[]> = {};
  for (const [clientId, uris] of Object.entries(value)) {
    if (!/^[\x21-\x7e]{1,200}$/.test(clientId)) throw new Error(`LOCAL_ISSUER_CLIENTS: client id ${JSON.stringify(clientId)} must be 1-200 visible ASCII characters`);
    if (!Array.isArray(uris) || uris.length === 0) throw new Error(`LOCAL_ISSUER_CLIENTS: client ${clientId} needs a list of redirect URIs`);
    for (const uri of uris) {
      const url = typeof uri === 'string' && URL.canParse(uri) ? new URL(uri) : undefined;
      if (!url || !/^https?:$/.test(url.protocol) || url.hash) throw new Error(`LOCAL_ISSUER_CLIENTS: ${JSON.stringify(uri)} of client ${clientId} is not an absolute http(s) URL without a fragment`);
    }
    clients[clientId] = uris as string[];
  }
  return clients;
}

/** The code-flow token lifetime from LOCAL_ISSUER_TOKEN_TTL (whole seconds, at most MAX_TOKEN_TTL_SECONDS), else CODE_FLOW_TOKEN_TTL_SECONDS. */
export function codeFlowTokenTtl(text: string | undefined): number {
  if (!text) return CODE_FLOW_TOKEN_TTL_SECONDS;
  const ttl = Number(text);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) throw new Error(`LOCAL_ISSUER_TOKEN_TTL must be whole seconds, 1 to ${MAX_TOKEN_TTL_SECONDS}, got ${JSON.stringify(text)}`);
  return ttl;
}

/** The issuer said no to a token request (a role, organisation or lifetime it may not give). */
export class IssuerRefusedError extends Error {}

/**
 * A token from the running local issuer, as a client gets one: its discovery document names the
 * token endpoint, which answers the local-user grant. Rejects with IssuerRefusedError when the
 * issuer refuses, and with an error naming the issuer's port variable when it does not answer.
 */
export async function requestLocalToken(spec: LocalIssuerSpec, env: NodeJS.ProcessEnv, claims: { sub: string; role: string; org?: string }, ttlSeconds: number): Promise<string> {
  const url = issuerUrl(spec, env);
  const unreachable = (error: Error): never => {
    throw new Error(`the ${spec.name} issuer does not answer at ${url} (${(error.cause as Error | undefined)?.message ?? error.message}); npm start runs it (port: ${spec.portVariable}, default ${spec.defaultPort})`);
  };
  const discovery = (await fetch(`${url}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) }).then((r) => r.json(), unreachable)) as {
    issuer?: string;
    token_endpoint?: string;
  };
  if (discovery.issuer !== url || !discovery.token_endpoint) {
    throw new Error(`${url} is not the local ${spec.name} issuer (its discovery document names issuer ${JSON.stringify(discovery.issuer)})`);
  }
  const form = new URLSearchParams({ grant_type: LOCAL_USER_GRANT, sub: claims.sub, role: claims.role, ttl: String(ttlSeconds), ...(claims.org && { org: claims.org }) });
  const response = await fetch(discovery.token_endpoint, { method: 'POST', body: form, signal: AbortSignal.timeout(5000) }).catch(unreachable);
  const answer = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
  if (response.status === 400 && answer.error !== 'unsupported_grant_type') throw new IssuerRefusedError(`the ${spec.name} issuer refused: ${answer.error_description}`);
  if (!response.ok || !answer.access_token) throw new Error(`the ${spec.name} issuer answered ${response.status}: ${answer.error_description ?? answer.error}`);
  return answer.access_token;
}
