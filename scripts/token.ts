// Prints a user token from the local identity provider that would sign it (npm start runs them):
//   npm run token -- --issuer welfare-area --role curator --sub p-1 --org welfare-area:demo [--ttl 8h]
// --issuer may be left out when the role (and org) name one issuer. The token comes from the
// issuer's token endpoint (found through its discovery document), signed with its own key: `iss`
// is its URL, `kid` its key id. A role or organisation the issuer may not assert is refused, as the
// apps' trust files would refuse it.
//   npm run token -- --hs256 --role curator --sub p-1 --org welfare-area:demo
// signs an HS256 token with JWT_SECRET from the environment instead, for apps run by hand in the
// single-process local mode (JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE); npm start's apps refuse it.
import { parseArgs } from 'node:util';
import { OrganisationClaim, Subject } from '@silta/contracts';
import { ROLES, type Role } from '@silta/platform/auth/principal';
import { signUserToken } from '@silta/platform/auth/sign-token';
import { configSchema, durationSeconds } from '@silta/platform/config';
import { IssuerRefusedError, ISSUER_NAMES, issuerSpec, LOCAL_ISSUERS, MAX_TOKEN_TTL_SECONDS, refusal, requestLocalToken, type LocalIssuerSpec } from './local-issuers';

// `service` is left out: services call each other with tokens signed by INTERNAL_TOKEN_SECRET.
const USER_ROLES = ROLES.filter((role) => role !== 'service');

const USAGE = `usage: npm run token -- [--issuer ${ISSUER_NAMES.join('|')}] --role <role> --sub <subject> [--org <org>] [--ttl 8h]
       npm run token -- --hs256 --role <role> --sub <subject> [--org <org>] [--ttl 8h]   (JWT_SECRET from the environment)
--ttl: 30m, 8h, 12h or seconds, at most 12h (with --hs256: at most JWT_MAX_TOKEN_AGE)
issuers (npm start runs them; ports from ${LOCAL_ISSUERS.map((issuer) => issuer.portVariable).join(', ')}):
${LOCAL_ISSUERS.map((issuer) => `  ${issuer.name.padEnd(13)} ${issuer.roles.join(', ')}${issuer.organisations ? `; --org ${issuer.organisations.join(' or ')}` : '; no --org'}`).join('\n')}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      issuer: { type: 'string' },
      hs256: { type: 'boolean', default: false },
      role: { type: 'string' },
      sub: { type: 'string' },
      org: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return void console.log(USAGE);
  if (!values.role) throw new UsageError('--role is required');
  if (!isRole(values.role)) throw new UsageError(`unknown role "${values.role}"`);
  if (!values.sub) throw new UsageError('--sub is required (the user id the token is for)');
  const sub = Subject.safeParse(values.sub);
  if (!sub.success) throw new UsageError(`--sub: ${sub.error.issues[0]!.message}`);
  if (values.org !== undefined && !OrganisationClaim.safeParse(values.org).success) {
    throw new UsageError(`--org must look like municipality:<id> or welfare-area:<id> (at most 200 characters), got "${values.org}"`);
  }
  const ttl = durationSeconds.safeParse(values.ttl);
  if (!ttl.success) throw new UsageError(`--ttl must be a duration such as 30m, 8h or 12h, got "${values.ttl}"`);
  const claims = { sub: sub.data, role: values.role, org: values.org };

  if (values.hs256) {
    if (values.issuer) throw new UsageError('--hs256 and --issuer exclude each other');
    return void console.log(await hs256Token(claims, ttl.data, values.ttl));
  }
  if (ttl.data > MAX_TOKEN_TTL_SECONDS) throw new UsageError(`--ttl ${values.ttl} is longer than the issuers sign and the apps accept (12h)`);
  const spec = chooseIssuer(values.issuer, values.role, values.org);
  const refused = refusal(spec, values.role, values.org);
  if (refused) throw new UsageError(refused);
  console.log(await requestLocalToken(spec, process.env, claims, ttl.data));
}

/** The issuer named, or the one that may assert this role (and organisation). */
function chooseIssuer(name: string | undefined, role: Role, org: string | undefined): LocalIssuerSpec {
  if (name !== undefined) {
    const spec = issuerSpec(name);
    if (!spec) throw new UsageError(`unknown issuer "${name}" (one of ${ISSUER_NAMES.join(', ')})`);
    return spec;
  }
  const asserting = LOCAL_ISSUERS.filter((issuer) => (issuer.roles as readonly string[]).includes(role));
  const fitting = asserting.length > 1 ? asserting.filter((issuer) => org !== undefined && issuer.organisations?.includes(org)) : asserting;
  if (fitting.length !== 1) throw new UsageError(`--issuer is needed: role "${role}" comes from ${asserting.map((issuer) => issuer.name).join(' or ')}`);
  return fitting[0]!;
}

/** The single-process local mode's HS256 token, with JWT_SECRET, JWT_ISSUER and JWT_AUDIENCE from the environment. */
async function hs256Token(claims: { sub: string; role: Role; org?: string }, ttl: number, asked: string): Promise<string> {
  const secret = configSchema.shape.JWT_SECRET.safeParse(process.env.JWT_SECRET || undefined);
  if (!secret.success || !secret.data) throw new UsageError('--hs256 signs with JWT_SECRET from the environment (32+ characters), which is not set or too short');
  const maxAge = configSchema.shape.JWT_MAX_TOKEN_AGE.safeParse(process.env.JWT_MAX_TOKEN_AGE || undefined);
  if (!maxAge.success) throw new Error(`JWT_MAX_TOKEN_AGE: ${maxAge.error.issues[0]!.message}`);
  if (ttl > maxAge.data) throw new UsageError(`--ttl ${asked} is longer than the apps accept (JWT_MAX_TOKEN_AGE, ${maxAge.data} s)`);
  return signUserToken(claims, {
    secret: secret.data,
    issuer: configSchema.shape.JWT_ISSUER.parse(process.env.JWT_ISSUER || undefined),
    audience: configSchema.shape.JWT_AUDIENCE.parse(process.env.JWT_AUDIENCE || undefined),
    expiresIn: `${ttl}s`,
  });
}

class UsageError extends Error {}

function isRole(value: string): value is Role {
  return (USER_ROLES as readonly string[]).includes(value);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`token: ${message}`);
  const usage = error instanceof UsageError || Boolean((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'));
  if (usage) console.error(USAGE);
  process.exit(usage || error instanceof IssuerRefusedError ? 2 : 1);
});
