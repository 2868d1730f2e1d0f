import { z } from 'zod';

/** The parties whose public APIs the web app forwards to, under /api/<party>/. */
export const PARTIES = ['roster', 'consent', 'disclosure', 'receipts'] as const;
export type PartyApi = (typeof PARTIES)[number];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Plain http is for loopback only: a browser keeps Secure cookies there, and nothing crosses a network. */
const isLoopbackHttp = (url: URL) => url.protocol === 'http:' && LOOPBACK.has(url.hostname);

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const httpsOrLoopback = (what: string) =>
  z
    .url({ protocol: /^https?$/ })
    .refine((text) => new URL(text).protocol === 'https:' || isLoopbackHttp(new URL(text)), `${what} must be https (plain http only on 127.0.0.1 or localhost)`)
    .transform((text) => text.replace(/\/+$/, ''));

/** One sign-in option: an OpenID provider where the web app is registered as a public client. */
const OidcProvider = z.object({
  /** Shown to the sign-in page and used in /auth/login?provider=; locally citizen, municipality or welfare-area. */
  name: z.string().regex(/^[a-z0-9-]{1,40}$/, 'a name of 1-40 lowercase letters, digits or "-"'),
  /** The issuer identifier; discovery is read from <issuer>/.well-known/openid-configuration. */
  issuer: httpsOrLoopback('issuer'),
  clientId: z.string().min(1).max(200),
  /** The roles this provider may assert, for the sign-in page's help; may be left out. */
  roles: z.array(z.string().regex(/^[a-z_]{1,40}$/)).max(20).default([]),
});
export type OidcProvider = z.output<typeof OidcProvider>;

const providersJson = z.string().transform((text, context) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    context.addIssue({ code: 'custom', message: 'must be JSON: [{"name": "...", "issuer": "https://...", "clientId": "..."}]' });
    return z.NEVER;
  }
});

const sessionKey = z.string().transform((text, context) => {
  const key = Buffer.from(text, 'base64url');
  if (!/^[A-Za-z0-9_-]+$/.test(text) || key.length !== 32) {
    context.addIssue({ code: 'custom', message: '32 random bytes, base64url (e.g. node -e "console.log(crypto.randomBytes(32).toString(\'base64url\'))")' });
    return z.NEVER;
  }
  return new Uint8Array(key);
});

const partyUrl = optionalString.pipe(
  z
    .url({ protocol: /^https?$/ })
    .transform((text) => text.replace(/\/+$/, ''))
    .optional(),
);

/** Every environment variable the web app reads (the README's table mirrors it). */
export const webConfigSchema = z.object({
  WEB_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  WEB_HOST: z.string().min(1).default('127.0.0.1'),
  /** Where browsers reach the app; its /auth/callback is the redirect URI registered with each provider. Default http://127.0.0.1:<port>. */
  WEB_PUBLIC_URL: optionalString.pipe(
    httpsOrLoopback('WEB_PUBLIC_URL')
      .refine((text) => new URL(text).pathname === '/' && !new URL(text).search && !new URL(text).hash, 'WEB_PUBLIC_URL must be an origin without a path, e.g. https://silta.example.fi (the app and its cookies live at /)')
      .optional(),
  ),
  /** Encrypts the session and sign-in cookies (A256GCM): 32 random bytes, base64url. Changing it signs everyone out. */
  WEB_SESSION_KEY: sessionKey,
  /** The OpenID providers people sign in with: JSON [{name, issuer, clientId, roles?}]. */
  WEB_OIDC_PROVIDERS: providersJson.pipe(
    z
      .array(OidcProvider)
      .min(1)
      .max(20)
      .refine((list) => new Set(list.map((p) => p.name)).size === list.length, 'provider names must be unique'),
  ),
  /** Each party's API base URL; a party left out is not offered (its /api/<party>/ answers 404). */
  WEB_API_ROSTER: partyUrl,
  WEB_API_CONSENT: partyUrl,
  WEB_API_DISCLOSURE: partyUrl,
  WEB_API_RECEIPTS: partyUrl,
  /** How long a forwarded call may take before it is answered 504. */
  WEB_API_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  /** The browser bundle (index.html, app.js, app.css) that apps/web/build.ts writes. */
  WEB_PUBLIC_DIR: z.string().min(1).default('dist/web/public'),
  LOG_FORMAT: optionalString.pipe(z.enum(['json', 'pretty']).optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

/** The names the web app reads from the environment. */
export const WEB_CONFIG_ENV_NAMES = Object.keys(webConfigSchema.shape) as ReadonlyArray<keyof z.output<typeof webConfigSchema>>;

export interface WebConfig {
  readonly port: number;
  readonly host: string;
  /** The public origin, no trailing slash. */
  readonly publicUrl: string;
  readonly redirectUri: string;
  readonly sessionKey: Uint8Array;
  readonly providers: readonly OidcProvider[];
  /** The parties offered, by name: base URL without a trailing slash. */
  readonly apis: Readonly<Partial<Record<PartyApi, string>>>;
  readonly apiTimeoutMs: number;
  readonly publicDir: string;
  readonly logFormat: 'json' | 'pretty' | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
}

/** Thrown at boot when the environment is invalid; the message names each bad variable. */
export class WebConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'WebConfigError';
  }
}

/** Reads and validates the environment once, at boot. */
export function loadWebConfig(env: NodeJS.ProcessEnv = process.env): WebConfig {
  const parsed = webConfigSchema.safeParse(env);
  if (!parsed.success) throw new WebConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  const c = parsed.data;
  const publicUrl = c.WEB_PUBLIC_URL ?? `http://127.0.0.1:${c.WEB_PORT}`;
  const apis = Object.fromEntries(PARTIES.filter((party) => c[`WEB_API_${party.toUpperCase()}` as keyof typeof c]).map((party) => [party, c[`WEB_API_${party.toUpperCase()}` as keyof typeof c] as string]));
  return {
    port: c.WEB_PORT,
    host: c.WEB_HOST,
    publicUrl,
    redirectUri: `${publicUrl}/auth/callback`,
    sessionKey: c.WEB_SESSION_KEY,
    providers: c.WEB_OIDC_PROVIDERS,
    apis,
    apiTimeoutMs: c.WEB_API_TIMEOUT_MS,
    publicDir: c.WEB_PUBLIC_DIR,
    logFormat: c.LOG_FORMAT,
    logLevel: c.LOG_LEVEL,
  };
}
