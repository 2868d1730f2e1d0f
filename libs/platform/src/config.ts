import { z } from 'zod';

export type ServiceName = 'roster' | 'consent' | 'disclosure' | 'receipts';

const DEFAULT_PORTS: Record<ServiceName, number> = { roster: 3001, consent: 3002, disclosure: 3003, receipts: 3004 };

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** A duration such as `90s`, `30m`, `12h` or `1d`, or a bare number of seconds, as whole seconds. */
export const durationSeconds = z
  .string()
  .regex(/^\d+\s*[smhd]?$/, 'a duration such as 30m, 12h or 1d, or a number of seconds')
  .transform((v) => {
    const [, amount, unit] = /^(\d+)\s*([smhd]?)$/.exec(v)!;
    return Number(amount) * DURATION_UNITS[unit || 's']!;
  })
  .pipe(z.number().int().positive());

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

/** Every environment variable the apps read, with its meaning (the README's table mirrors it). */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().default('127.0.0.1'),
  /** Folder for the embedded SQLite stores when no DATABASE_URL is given. */
  DATA_DIR: z.string().default('./data'),
  /** PostgreSQL for the event store (unless EVENTSTORE_CONNECTION_STRING) and the read models. */
  DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  /** EventStoreDB for the event store, e.g. esdb://eventstore:2113?tls=false. */
  EVENTSTORE_CONNECTION_STRING: optionalString,
  KAFKA_BROKERS: z.string().min(1).default('127.0.0.1:9092'),
  /** Appended to consumer group ids, so several deployments (or test runs) can share one broker. */
  KAFKA_GROUP_SUFFIX: z.string().regex(/^[A-Za-z0-9._-]*$/).default(''),
  /** HS256 secret for local tokens; at least 32 characters. */
  JWT_SECRET: optionalString.pipe(z.string().min(32).optional()),
  /** JWKS URL for RS256/ES256 tokens in deployments; takes precedence over JWT_SECRET. */
  JWT_JWKS_URL: optionalString.pipe(z.url().optional()),
  JWT_ISSUER: z.string().min(1).default('silta-local'),
  JWT_AUDIENCE: z.string().min(1).default('silta'),
  /**
   * The longest a user token may live and the oldest it may be: tokens must carry `iat`, and one
   * whose `exp` lies further than this from its `iat` is refused. A duration (`12h`) or seconds.
   */
  JWT_MAX_TOKEN_AGE: durationSeconds.default(12 * 3600),
  /** Secret shared by disclosure and roster for service-to-service calls; at least 32 characters. */
  INTERNAL_TOKEN_SECRET: z.string().min(32),
  /** Where disclosure reaches roster's internal records endpoint. */
  ROSTER_URL: z.url().default('http://127.0.0.1:3001'),
  /**
   * Writes (POST, PUT, PATCH, DELETE) one caller may make per minute on one instance, keyed by the
   * verified caller (issuer, organisation, subject), or by address when there is no token; more get
   * 429 with Retry-After. Generous by default: it stops a runaway client, not a busy one.
   */
  RATE_LIMIT_WRITES_PER_MINUTE: z.coerce.number().int().positive().default(1_200),
  /** How long disclosure waits for its view to reach a presented position token. */
  CONSISTENCY_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(2_000),
  /** The municipality's disclosure policy file (YAML or JSON); the shipped default if unset. */
  POLICY_FILE: optionalString,
  /**
   * The Ed25519 signer key for the party's audit-log checkpoints, a C2SP signer key string
   * `PRIVATE+KEY+<name>+<hash>+<base64>`. Required by disclosure (the municipality's log) and
   * receipts (the welfare area's log), which check it at boot; roster and consent start without it.
   */
  AUDIT_SIGNING_KEY: optionalString,
  /** The audit log's origin line in its checkpoints, the log's identity; `silta.<service>/local` if unset. */
  AUDIT_ORIGIN: optionalString.pipe(
    z
      .string()
      .min(1)
      .regex(/^[^\s+][^\n\r]*$/, 'one line, not starting with a space or "+"')
      .optional(),
  ),
  /** How often the party signs a checkpoint of its audit log when it grew; 0 only on demand. */
  AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /**
   * The other party's audit-log verifier key (`<name>+<hash>+<base64>`): disclosure and receipts
   * witness each other's checkpoints with it (verify, check consistency, cosign) and check the
   * other's cosignatures of their own. Unset: no witnessing.
   */
  PEER_AUDIT_KEY: optionalString,
  /** The other party's service URL, for consistency proofs between the checkpoints it witnesses. */
  PEER_AUDIT_URL: optionalString.pipe(z.url().optional()),
  /** The other party's log origin: only its checkpoints are witnessed (the topic may carry others). */
  PEER_AUDIT_ORIGIN: optionalString,
});

export type RawConfig = z.output<typeof configSchema>;

export interface ServiceConfig extends RawConfig {
  readonly service: ServiceName;
  readonly port: number;
}

/** The names the apps read from the environment. */
export const CONFIG_ENV_NAMES = Object.keys(configSchema.shape) as ReadonlyArray<keyof RawConfig>;

/** Thrown at boot when the environment is invalid; the message names each bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** The consumer group id a service uses for one of its consumers. */
export function consumerGroupId(config: RawConfig, base: string): string {
  return `${base}${config.KAFKA_GROUP_SUFFIX}`;
}

/** Reads and validates the environment once, at boot. */
export function loadConfig(service: ServiceName, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const config = parsed.data;
  if (!config.JWT_SECRET && !config.JWT_JWKS_URL) {
    throw new ConfigError(['JWT_SECRET or JWT_JWKS_URL: one of them is required to verify tokens']);
  }
  return { ...config, service, port: config.PORT ?? DEFAULT_PORTS[service] };
}
