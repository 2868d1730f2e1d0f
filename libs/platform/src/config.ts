import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { KafkaSecurity } from '@silta/messaging';

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
  /**
   * How the service proves who it is to the broker's SASL_SSL listener: its own principal
   * (README: Kafka principals and ACLs), never another service's.
   */
  KAFKA_SASL_MECHANISM: z.enum(['scram-sha-512', 'scram-sha-256']).default('scram-sha-512'),
  KAFKA_USERNAME: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a Kafka principal name: letters, digits, ".", "_" or "-"'),
  /** The principal's password; or KAFKA_PASSWORD_FILE, a file holding it (read once at boot). */
  KAFKA_PASSWORD: optionalString,
  KAFKA_PASSWORD_FILE: optionalString,
  /** PEM file of the CA that signed the broker's certificate; the system's CAs if unset. */
  KAFKA_SSL_CA_FILE: optionalString,
  /** Appended to consumer group ids, so several deployments (or test runs) can share one broker. */
  KAFKA_GROUP_SUFFIX: z.string().regex(/^[A-Za-z0-9._-]*$/).default(''),
  /**
   * The party's trust file (YAML or JSON): every identity provider whose tokens it accepts, with
   * the roles and organisations each may assert (README: Trusted issuers). Deployments use this.
   */
  TRUSTED_ISSUERS: optionalString,
  /** HS256 secret for the single-process local mode only (tests); at least 32 characters. Not with TRUSTED_ISSUERS. */
  JWT_SECRET: optionalString.pipe(z.string().min(32).optional()),
  /** The issuer and audience of HS256 local-mode tokens. */
  JWT_ISSUER: z.string().min(1).default('silta-local'),
  JWT_AUDIENCE: z.string().min(1).default('silta'),
  /**
   * The longest a user token may live and the oldest it may be: tokens must carry `iat`, and one
   * whose `exp` lies further than this from its `iat` is refused. A duration (`12h`) or seconds.
   */
  JWT_MAX_TOKEN_AGE: durationSeconds.default(12 * 3600),
  /**
   * Secret shared by roster and its internal callers (disclosure, consent) for service-to-service
   * calls; at least 32 characters. Required by those three only; receipts must not be given it.
   */
  INTERNAL_TOKEN_SECRET: optionalString.pipe(z.string().min(32).optional()),
  /**
   * Roster only, during a rotation: the secret being replaced, still accepted until disclosure
   * signs with the new INTERNAL_TOKEN_SECRET (README: rotating secrets).
   */
  INTERNAL_TOKEN_PREVIOUS_SECRET: optionalString.pipe(z.string().min(32).optional()),
  /** Where disclosure and consent reach roster's internal endpoints (records; the student's standing). */
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
   * When set, GET /metrics answers only a request with `Authorization: Bearer <METRICS_TOKEN>`
   * (Prometheus's `authorization` scrape setting); unset, it answers anyone who can reach the port.
   * The metrics hold no personal data either way.
   */
  METRICS_TOKEN: optionalString,
  /** How long a consumer or relay that was connected may be without the broker before /health/ready says 503. */
  READINESS_BROKER_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
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
   * The least time between two checkpoints an auditor has signed on demand in one instance (each one
   * is a signature and a stored event); asking sooner is answered 429 unless the log did not grow.
   */
  AUDIT_CHECKPOINT_MIN_INTERVAL_MS: z.coerce.number().int().min(0).default(10_000),
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
  /**
   * How log lines are written to stdout: `json`, one JSON object per line (deployments; a log
   * collector reads them), or `pretty`, one readable line per entry. Unset: pretty on a terminal, else json.
   */
  LOG_FORMAT: optionalString.pipe(z.enum(['json', 'pretty']).optional()),
  /** The least severe log lines written: fatal, error, warn, info, debug or trace. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

export type RawConfig = z.output<typeof configSchema>;

export interface ServiceConfig extends RawConfig {
  readonly service: ServiceName;
  readonly port: number;
  /** The service's Kafka password, from KAFKA_PASSWORD or read from KAFKA_PASSWORD_FILE at boot. */
  readonly KAFKA_PASSWORD: string;
  /** The broker CA's PEM, read from KAFKA_SSL_CA_FILE at boot; undefined means the system's CAs. */
  readonly kafkaCaPem: string | undefined;
}

/**
 * The services that hold INTERNAL_TOKEN_SECRET: disclosure and consent sign their calls to roster
 * with it (consent for the student's standing: guardianship ends at 18). No other may be given it.
 */
export const INTERNAL_TOKEN_HOLDERS: readonly ServiceName[] = ['roster', 'disclosure', 'consent'];

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
  const problems: string[] = [];
  if (!config.JWT_SECRET && !config.TRUSTED_ISSUERS) problems.push('TRUSTED_ISSUERS or JWT_SECRET: one of them is required to verify tokens');
  if (config.JWT_SECRET && config.TRUSTED_ISSUERS) problems.push('JWT_SECRET: HS256 local mode cannot be combined with TRUSTED_ISSUERS; unset one of them');
  if (INTERNAL_TOKEN_HOLDERS.includes(service) && !config.INTERNAL_TOKEN_SECRET) problems.push(`INTERNAL_TOKEN_SECRET: required by ${service}`);
  if (!INTERNAL_TOKEN_HOLDERS.includes(service) && config.INTERNAL_TOKEN_SECRET) {
    problems.push(`INTERNAL_TOKEN_SECRET: only roster, disclosure and consent may hold it; do not give it to ${service}`);
  }
  if (config.INTERNAL_TOKEN_PREVIOUS_SECRET && service !== 'roster') problems.push(`INTERNAL_TOKEN_PREVIOUS_SECRET: only roster accepts a previous secret; do not give it to ${service}`);
  const password = kafkaPassword(config, problems);
  const kafkaCaPem = config.KAFKA_SSL_CA_FILE ? readConfigFile('KAFKA_SSL_CA_FILE', config.KAFKA_SSL_CA_FILE, problems) : undefined;
  if (kafkaCaPem !== undefined && !kafkaCaPem.includes('-----BEGIN CERTIFICATE-----')) problems.push('KAFKA_SSL_CA_FILE: not a PEM certificate file');
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...config, service, port: config.PORT ?? DEFAULT_PORTS[service], KAFKA_PASSWORD: password ?? '', kafkaCaPem };
}

function kafkaPassword(config: RawConfig, problems: string[]): string | undefined {
  if (config.KAFKA_PASSWORD && config.KAFKA_PASSWORD_FILE) {
    problems.push('KAFKA_PASSWORD_FILE: set KAFKA_PASSWORD or KAFKA_PASSWORD_FILE, not both');
    return undefined;
  }
  if (config.KAFKA_PASSWORD_FILE) {
    const password = readConfigFile('KAFKA_PASSWORD_FILE', config.KAFKA_PASSWORD_FILE, problems)?.trim();
    if (password === '') problems.push(`KAFKA_PASSWORD_FILE: ${config.KAFKA_PASSWORD_FILE} is empty`);
    return password || undefined;
  }
  if (!config.KAFKA_PASSWORD) problems.push('KAFKA_PASSWORD or KAFKA_PASSWORD_FILE: the Kafka principal\'s password is required');
  return config.KAFKA_PASSWORD;
}

function readConfigFile(name: string, path: string, problems: string[]): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return undefined;
  }
}

/** The service's own Kafka credentials, as createKafka takes them. */
export function kafkaSecurityOf(config: ServiceConfig): KafkaSecurity {
  return { mechanism: config.KAFKA_SASL_MECHANISM, username: config.KAFKA_USERNAME, password: config.KAFKA_PASSWORD, caPem: config.kafkaCaPem };
}
