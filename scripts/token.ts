// Prints a local HS256 user token, signed with the local JWT_SECRET (environment or data/.local-secrets.json):
//   npm run token -- --role curator --sub p-1 --org welfare-area:demo [--ttl 8h]
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '@silta/platform/auth/principal';
import { signUserToken } from '@silta/platform/auth/sign-token';
import { configSchema } from '@silta/platform/config';
import { loadLocalSecrets } from './local-secrets';

// `service` is left out: services call each other with tokens signed by INTERNAL_TOKEN_SECRET.
const USER_ROLES = ROLES.filter((role) => role !== 'service');

const USAGE = `usage: npm run token -- --role <role> --sub <subject> [--org municipality:<id>|welfare-area:<id>] [--ttl 8h]
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
  if (values.org !== undefined && !/^(municipality|welfare-area):[^\s:]+$/.test(values.org)) {
    throw new UsageError(`--org must look like municipality:<id> or welfare-area:<id>, got "${values.org}"`);
  }
  if (!/^\d+\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)$/.test(values.ttl)) {
    throw new UsageError(`--ttl must be a duration such as 30m, 8h or 2d, got "${values.ttl}"`);
  }
  const { JWT_SECRET } = loadLocalSecrets();
  const token = await signUserToken(
    { sub: values.sub, role: values.role, org: values.org },
    {
      secret: JWT_SECRET,
      issuer: configSchema.shape.JWT_ISSUER.parse(process.env.JWT_ISSUER),
      audience: configSchema.shape.JWT_AUDIENCE.parse(process.env.JWT_AUDIENCE),
      expiresIn: values.ttl,
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
