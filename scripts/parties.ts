// Who gets what under `npm start`: the environment of every process it spawns, built from an
// allow-list, never from the caller's whole environment (a JWT_SECRET or password the user
// exported must not leak into an app). Each party's processes get only that party's secrets:
//   the municipality: roster, consent, disclosure and its staff issuer;
//   the welfare area: receipts and its staff issuer;
//   the citizen issuer (standing in for Suomi.fi) is neither's;
//   the web app (the municipality's to run) gets only its session key, the issuers' URLs and the
//   apps' URLs: it calls the APIs with the signed-in person's token and holds no key of a party.
// Pure: test/party-secrets.unit.spec.ts reads it.
import { join } from 'node:path';
import { INTERNAL_TOKEN_HOLDERS } from '@silta/platform/config';
import { verifierKeyOf } from '@silta/transparency';
import { issuerUrl, LOCAL_ISSUERS, type IssuerName, type IssuerPrivateJwk, type Party } from './local-issuers';

/** A port from the environment, or the default; anything else stops the start with the variable's name. */
export function portOf(variable: string, fallback: number): number {
  const value = process.env[variable];
  if (!value) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${variable} must be a port number (1-65535), got ${JSON.stringify(value)}`);
  return port;
}

export const APPS = ['roster', 'consent', 'disclosure', 'receipts'] as const;
export type AppName = (typeof APPS)[number];
export type IssuerProcess = `${IssuerName}-issuer`;
export type ProcessName = AppName | IssuerProcess | 'web';

/** The web app's client id at each local issuer. */
export const WEB_CLIENT_ID = 'silta-web';

/** The party each process belongs to; `citizen` is the citizens' identity provider, a third party. */
export const PARTY_OF: Readonly<Record<ProcessName, Party | 'citizen'>> = {
  roster: 'municipality',
  consent: 'municipality',
  disclosure: 'municipality',
  'municipality-issuer': 'municipality',
  receipts: 'welfare-area',
  'welfare-area-issuer': 'welfare-area',
  'citizen-issuer': 'citizen',
  web: 'municipality',
};


export interface PartyInputs {
  /** The repository (cwd of every process). */
  readonly root: string;
  readonly dataDir: string;
  /** The caller's environment: only allow-listed names pass, and only to whom they concern. */
  readonly userEnv: NodeJS.ProcessEnv;
  readonly ports: Readonly<Record<AppName, number>>;
  /** What `kafka.sh start` printed: the brokers, the CA's PEM file, and the folder of `<principal>.password` files. */
  readonly broker: { readonly brokers: string; readonly caFile: string; readonly credentialsDir: string };
  readonly secrets: {
    readonly INTERNAL_TOKEN_SECRET: string;
    readonly auditSigningKeys: { readonly disclosure: string; readonly receipts: string };
    readonly issuerKeys: Readonly<Record<IssuerName, IssuerPrivateJwk>>;
    /** The web app's cookie-sealing key (WEB_SESSION_KEY). */
    readonly webSessionKey: string;
  };
  /** Where the web app listens and where browsers reach it (its redirect URI at each issuer is <publicUrl>/auth/callback). */
  readonly web: { readonly port: number; readonly publicUrl: string; readonly publicDir: string };
  /** Each app's DATABASE_URL, or undefined for SQLite under dataDir. */
  readonly databases: Readonly<Record<AppName, string | undefined>>;
  /** Each party's trust file (TRUSTED_ISSUERS). */
  readonly trustFiles: Readonly<Record<Party, string>>;
}

/**
 * Each party's audit-log origin under `npm start`: AUDIT_ORIGIN (disclosure's) and RECEIPTS_AUDIT_ORIGIN from the
 * caller's environment, else the services' own defaults. Each log's signer key is named after it (C2SP).
 */
export function auditOrigins(userEnv: NodeJS.ProcessEnv): { readonly disclosure: string; readonly receipts: string } {
  return {
    disclosure: userEnv.AUDIT_ORIGIN || 'silta.disclosure/local',
    receipts: userEnv.RECEIPTS_AUDIT_ORIGIN || 'silta.receipts/local',
  };
}

/** Names passed from the caller's environment to every process: the system's, and Node's own settings. */
const SYSTEM_NAMES = /^(PATH|HOME|USER|LOGNAME|SHELL|LANG|LANGUAGE|LC_[A-Z]+|TZ|TMPDIR|TEMP|TMP|TERM|COLORTERM|NO_COLOR|FORCE_COLOR|SystemRoot|NODE_[A-Z0-9_]+)$/;
/** ...except what smells of a credential (NODE_AUTH_TOKEN is npm's registry token). */
const CREDENTIAL_LIKE = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|AUTH|CREDENTIAL/;
/** Non-secret app settings the caller may set for all four apps. */
const APP_SETTINGS = ['HOST', 'JWT_MAX_TOKEN_AGE', 'RATE_LIMIT_WRITES_PER_MINUTE', 'KAFKA_GROUP_SUFFIX', 'KAFKA_SASL_MECHANISM', 'AUDIT_CHECKPOINT_INTERVAL_MS', 'AUDIT_CHECKPOINT_MIN_INTERVAL_MS', 'METRICS_TOKEN', 'READINESS_BROKER_GRACE_MS', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'LOG_FORMAT', 'LOG_LEVEL'] as const;
/** Settings for the municipality's apps only (an EventStoreDB connection string may carry its credentials). */
const MUNICIPALITY_SETTINGS = ['EVENTSTORE_CONNECTION_STRING', 'CONSISTENCY_WAIT_MS', 'POLICY_FILE'] as const;
/** Non-secret settings of the web app the caller may set. */
const WEB_SETTINGS = ['WEB_HOST', 'WEB_API_TIMEOUT_MS', 'LOG_FORMAT', 'LOG_LEVEL'] as const;

/** The system part of the caller's environment, which every process gets. */
export function systemEnvironment(userEnv: NodeJS.ProcessEnv): Record<string, string> {
  return pick(userEnv, Object.keys(userEnv).filter((name) => SYSTEM_NAMES.test(name) && !CREDENTIAL_LIKE.test(name)));
}

/** The environment of every process `npm start` spawns. */
export function processEnvironments(inputs: PartyInputs): Record<ProcessName, Record<string, string>> {
  const { root, dataDir, userEnv, ports, broker, secrets, databases, trustFiles, web } = inputs;
  const base = { ...systemEnvironment(userEnv), SWC_NODE_PROJECT: join(root, 'tsconfig.json') };
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const origins = auditOrigins(userEnv);

  const app = (name: AppName, party: Party): Record<string, string> => ({
    ...base,
    ...pick(userEnv, APP_SETTINGS),
    PORT: String(ports[name]),
    DATA_DIR: dataDir,
    KAFKA_BROKERS: broker.brokers,
    KAFKA_SSL_CA_FILE: broker.caFile,
    // Each service is its own Kafka principal, with its own password file.
    KAFKA_USERNAME: name,
    KAFKA_PASSWORD_FILE: join(broker.credentialsDir, `${name}.password`),
    TRUSTED_ISSUERS: trustFiles[party],
    ...(databases[name] && { DATABASE_URL: databases[name] }),
    ...(INTERNAL_TOKEN_HOLDERS.includes(name) && { INTERNAL_TOKEN_SECRET: secrets.INTERNAL_TOKEN_SECRET }),
  });
  const municipalityApp = (name: AppName) => ({ ...app(name, 'municipality'), ...pick(userEnv, MUNICIPALITY_SETTINGS) });

  const issuer = (name: IssuerName): Record<string, string> => {
    const spec = LOCAL_ISSUERS.find((candidate) => candidate.name === name)!;
    return {
      ...base,
      LOCAL_ISSUER_NAME: name,
      LOCAL_ISSUER_PORT: new URL(issuerUrl(spec, userEnv)).port,
      // Its own private key, and no one else's.
      LOCAL_ISSUER_KEY: JSON.stringify(secrets.issuerKeys[name]),
      // The web app is its one code-flow client, at its exact redirect URI.
      LOCAL_ISSUER_CLIENTS: JSON.stringify({ [WEB_CLIENT_ID]: [`${web.publicUrl}/auth/callback`] }),
      ...pick(userEnv, ['LOCAL_ISSUER_TOKEN_TTL']),
    };
  };

  const webApp: Record<string, string> = {
    ...base,
    ...pick(userEnv, WEB_SETTINGS),
    WEB_PORT: String(web.port),
    WEB_PUBLIC_URL: web.publicUrl,
    WEB_SESSION_KEY: secrets.webSessionKey,
    WEB_OIDC_PROVIDERS: JSON.stringify(LOCAL_ISSUERS.map((spec) => ({ name: spec.name, issuer: issuerUrl(spec, userEnv), clientId: WEB_CLIENT_ID, roles: spec.roles }))),
    WEB_API_ROSTER: url(ports.roster),
    WEB_API_CONSENT: url(ports.consent),
    WEB_API_DISCLOSURE: url(ports.disclosure),
    WEB_API_RECEIPTS: url(ports.receipts),
    WEB_PUBLIC_DIR: web.publicDir,
  };

  return {
    roster: municipalityApp('roster'),
    // Consent reads the student's birth date from roster's standing (who may grant: guardianship ends at 18).
    consent: { ...municipalityApp('consent'), ROSTER_URL: url(ports.roster) },
    disclosure: {
      ...municipalityApp('disclosure'),
      ROSTER_URL: url(ports.roster),
      // The municipality's audit log: signed with its own key; it witnesses the welfare area's.
      AUDIT_SIGNING_KEY: secrets.auditSigningKeys.disclosure,
      AUDIT_ORIGIN: origins.disclosure,
      PEER_AUDIT_KEY: verifierKeyOf(secrets.auditSigningKeys.receipts),
      PEER_AUDIT_URL: url(ports.receipts),
      PEER_AUDIT_ORIGIN: origins.receipts,
    },
    receipts: {
      ...app('receipts', 'welfare-area'),
      ...(userEnv.RECEIPTS_EVENTSTORE_CONNECTION_STRING && { EVENTSTORE_CONNECTION_STRING: userEnv.RECEIPTS_EVENTSTORE_CONNECTION_STRING }),
      // The welfare area's audit log: signed with its own key; the municipality's only as a public verifier key.
      AUDIT_SIGNING_KEY: secrets.auditSigningKeys.receipts,
      AUDIT_ORIGIN: origins.receipts,
      PEER_AUDIT_KEY: verifierKeyOf(secrets.auditSigningKeys.disclosure),
      PEER_AUDIT_URL: url(ports.disclosure),
      PEER_AUDIT_ORIGIN: origins.disclosure,
    },
    'municipality-issuer': issuer('municipality'),
    'welfare-area-issuer': issuer('welfare-area'),
    'citizen-issuer': issuer('citizen'),
    web: webApp,
  };
}

/** The three lines `kafka.sh start` prints on stdout, or that the environment gives for a broker run elsewhere. */
export function parseBrokerLines(out: string): PartyInputs['broker'] | undefined {
  const value = (name: string) => new RegExp(`^${name}=(.+)$`, 'm').exec(out)?.[1]?.trim();
  const [brokers, caFile, credentialsDir] = [value('KAFKA_BROKERS'), value('KAFKA_SSL_CA_FILE'), value('KAFKA_CREDENTIALS_DIR')];
  return brokers && caFile && credentialsDir ? { brokers, caFile, credentialsDir } : undefined;
}

function pick(env: NodeJS.ProcessEnv, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.filter((name) => env[name]).map((name) => [name, env[name]!]));
}
