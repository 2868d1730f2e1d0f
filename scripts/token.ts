// Prints a local HS256 user token, signed with the local JWT_SECRET (environment or data/.local-secrets.json):
//   npm run token -- --role curator --sub p-1 --org welfare-area:demo [--ttl 8h]
// The token must fit the bounds the apps check: a lifetime within JWT_MAX_TOKEN_AGE, a bounded sub and org.
import { parseArgs } from 'node:util';
import { OrganisationClaim, Subject } from '@silta/contracts';
import { ROLES, type Role } from '@silta/platform/auth/principal';
import { signUserToken } from '@silta/platform/auth/sign-token';
import { configSchema, durationSeconds } from '@silta/platform/config';
import { loadLocalSecrets } from './local-secrets';

// `service` is left out: services call each other with tokens signed by INTERNAL_TOKEN_SECRET.
const USER_ROLES = ROLES.filter((role) => role !== 'service');

const USAGE = `usage: npm run token -- --role <role> --sub <subject> [--org municipality:<id>|welfare-area:<id>] [--ttl 8h]
--ttl: 30m, 8h, 1d or seconds, at most JWT_MAX_TOKEN_AGE (default 12h)
roles: ${USER_ROLES.join(', ')}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
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
  if (!ttl.success) throw new UsageError(`--ttl must be a duration such as 30m, 8h or 1d, got "${values.ttl}"`);
  const maxAge = configSchema.shape.JWT_MAX_TOKEN_AGE.safeParse(process.env.JWT_MAX_TOKEN_AGE || undefined);
  if (!maxAge.success) throw new Error(`JWT_MAX_TOKEN_AGE: ${maxAge.error.issues[0]!.message}`);
  if (ttl.data > maxAge.data) {
    throw new UsageError(`--ttl ${values.ttl} is longer than the apps accept (JWT_MAX_TOKEN_AGE, ${maxAge.data} s)`);
  }
  const { JWT_SECRET } = loadLocalSecrets();
  const token = await signUserToken(
    { sub: values.sub, role: values.role, org: values.org },
    {
      secret: JWT_SECRET,
      issuer: configSchema.shape.JWT_ISSUER.parse(process.env.JWT_ISSUER),
      audience: configSchema.shape.JWT_AUDIENCE.parse(process.env.JWT_AUDIENCE),
      expiresIn: `${ttl.data}s`,
    },
  );
  console.log(token);
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
  process.exit(usage ? 2 : 1);
});
