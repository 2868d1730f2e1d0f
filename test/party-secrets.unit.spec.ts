import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig, type ServiceName } from '@silta/platform/config';
import { parseTrustedIssuers } from '@silta/platform/auth/trusted-issuers';
import { auditLogSettings } from '@silta/audit-trail';
import { generateSignerKey, parseVerifierKey, verifierKeyOf } from '@silta/transparency';
import { composeFiles, generateComposeFiles } from '../scripts/compose-secrets';
import { generateIssuerKey, ISSUER_NAMES, publicJwkOf, trustFileFor, type IssuerName } from '../scripts/local-issuers';
import { loadLocalSecrets, localSecretsFile, renamedSignerKey, signerKeyName } from '../scripts/local-secrets';
import { APPS, PARTY_OF, processEnvironments, type PartyInputs, type ProcessName } from '../scripts/parties';
import { loadWebConfig } from '../apps/web/src/server/config';

// Silta's two parties are separate controllers: no secret of one may reach a process of the other.
// The municipality's: INTERNAL_TOKEN_SECRET (roster, disclosure and consent only), its audit
// signing key, its staff issuer's key, roster's, consent's and disclosure's Kafka passwords, its
// database passwords. The welfare area's: receipts' audit signing key, its staff issuer's key,
// receipts' Kafka password, its database password. The citizen issuer (Suomi.fi's stand-in) is a
// third party. This reads what `npm start` gives each process (scripts/parties.ts) and what
// docker-compose.yml gives each service.

type Owner = 'municipality' | 'welfare-area' | 'citizen';

interface Secret {
  readonly what: string;
  readonly owner: Owner;
  /** A string that is in a process's environment exactly when the secret is. */
  readonly value: string;
  /** The processes that need it. */
  readonly holders: readonly ProcessName[];
}

describe('npm start: the environment of each process', () => {
  const WEB_SESSION_KEY = randomBytes(32).toString('base64url');
  const dataDir = '/srv/silta-data';
  const credentialsDir = '/srv/kafka/credentials';
  const issuerKeys = Object.fromEntries(ISSUER_NAMES.map((name) => [name, generateIssuerKey()])) as Record<IssuerName, ReturnType<typeof generateIssuerKey>>;
  const inputs: PartyInputs = {
    root: '/srv/silta',
    dataDir,
    userEnv: {
      PATH: '/usr/bin:/bin',
      HOME: '/home/dev',
      LANG: 'C.UTF-8',
      NODE_OPTIONS: '--max-old-space-size=512',
      KAFKA_GROUP_SUFFIX: '-dev',
      // What a developer may have exported for something else: none of it may reach a process.
      JWT_SECRET: 'user-exported-jwt-secret-0123456789abcdef',
      NODE_AUTH_TOKEN: 'npm-registry-token-0123456789',
      PGPASSWORD: 'user-exported-pg-password-0123',
      KAFKA_PASSWORD: 'user-exported-kafka-password-0123',
      AWS_SECRET_ACCESS_KEY: 'user-exported-aws-secret-0123456789',
      TEST_POSTGRES_URL: 'postgres://postgres:user-test-db-password@127.0.0.1:5432/postgres',
    },
    ports: { roster: 3001, consent: 3002, disclosure: 3003, receipts: 3004 },
    broker: { brokers: '127.0.0.1:9092', caFile: '/srv/kafka/tls/ca.pem', credentialsDir },
    secrets: {
      INTERNAL_TOKEN_SECRET: 'municipality-internal-token-secret-0123456789',
      auditSigningKeys: { disclosure: generateSignerKey('silta.disclosure/local'), receipts: generateSignerKey('silta.receipts/local') },
      issuerKeys,
      webSessionKey: WEB_SESSION_KEY,
    },
    web: { port: 3000, publicUrl: 'http://127.0.0.1:3000', publicDir: `${dataDir}/web/public` },
    databases: {
      roster: 'postgres://municipality:municipality-db-password-roster@db.municipality/roster',
      consent: 'postgres://municipality:municipality-db-password-consent@db.municipality/consent',
      disclosure: 'postgres://municipality:municipality-db-password-disclosure@db.municipality/disclosure',
      receipts: 'postgres://welfare:welfare-area-db-password@db.welfare-area/receipts',
    },
    trustFiles: { municipality: `${dataDir}/trust/municipality.yaml`, 'welfare-area': `${dataDir}/trust/welfare-area.yaml` },
  };
  const password = (principal: string) => join(credentialsDir, `${principal}.password`);

  const SECRETS: readonly Secret[] = [
    { what: 'INTERNAL_TOKEN_SECRET', owner: 'municipality', value: inputs.secrets.INTERNAL_TOKEN_SECRET, holders: ['roster', 'disclosure', 'consent'] },
    { what: "disclosure's AUDIT_SIGNING_KEY", owner: 'municipality', value: inputs.secrets.auditSigningKeys.disclosure, holders: ['disclosure'] },
    { what: "the municipality issuer's key", owner: 'municipality', value: issuerKeys.municipality.d, holders: ['municipality-issuer'] },
    { what: "roster's Kafka password", owner: 'municipality', value: password('roster'), holders: ['roster'] },
    { what: "consent's Kafka password", owner: 'municipality', value: password('consent'), holders: ['consent'] },
    { what: "disclosure's Kafka password", owner: 'municipality', value: password('disclosure'), holders: ['disclosure'] },
    { what: "roster's database password", owner: 'municipality', value: 'municipality-db-password-roster', holders: ['roster'] },
    { what: "consent's database password", owner: 'municipality', value: 'municipality-db-password-consent', holders: ['consent'] },
    { what: "disclosure's database password", owner: 'municipality', value: 'municipality-db-password-disclosure', holders: ['disclosure'] },
    { what: "receipts' AUDIT_SIGNING_KEY", owner: 'welfare-area', value: inputs.secrets.auditSigningKeys.receipts, holders: ['receipts'] },
    { what: "the welfare area issuer's key", owner: 'welfare-area', value: issuerKeys['welfare-area'].d, holders: ['welfare-area-issuer'] },
    { what: "receipts' Kafka password", owner: 'welfare-area', value: password('receipts'), holders: ['receipts'] },
    { what: "receipts' database password", owner: 'welfare-area', value: 'welfare-area-db-password', holders: ['receipts'] },
    { what: "the citizen issuer's key", owner: 'citizen', value: issuerKeys.citizen.d, holders: ['citizen-issuer'] },
    { what: "the web app's WEB_SESSION_KEY", owner: 'municipality', value: WEB_SESSION_KEY, holders: ['web'] },
    { what: "the broker's admin password", owner: 'municipality', value: password('admin'), holders: [] },
  ];
  const environments = processEnvironments(inputs);
  const processes = Object.keys(environments) as ProcessName[];
  const holding = (value: string) => processes.filter((name) => Object.values(environments[name]).some((v) => v.includes(value)));

  it('covers every process npm start spawns: the four apps, the three issuers and the web app', () => {
    expect(processes.sort()).toEqual([...APPS, 'municipality-issuer', 'welfare-area-issuer', 'citizen-issuer', 'web'].sort());
  });

  it('gives the web app its session key, the issuers and the APIs, and nothing of a broker, a database or a trust file; each issuer knows it as its client', () => {
    const web = environments.web;
    expect(Object.keys(web).filter((name) => /KAFKA|DATABASE|TRUSTED|AUDIT|INTERNAL|ISSUER_KEY/.test(name))).toEqual([]);
    expect(web).toMatchObject({ WEB_PORT: '3000', WEB_PUBLIC_URL: 'http://127.0.0.1:3000', WEB_API_ROSTER: 'http://127.0.0.1:3001', WEB_API_RECEIPTS: 'http://127.0.0.1:3004' });
    expect(JSON.parse(web.WEB_OIDC_PROVIDERS!).map((p: { name: string; clientId: string }) => `${p.name}:${p.clientId}`)).toEqual(['municipality:silta-web', 'welfare-area:silta-web', 'citizen:silta-web']);
    expect(loadWebConfig(web)).toMatchObject({ redirectUri: 'http://127.0.0.1:3000/auth/callback', apis: { roster: 'http://127.0.0.1:3001', consent: 'http://127.0.0.1:3002', disclosure: 'http://127.0.0.1:3003', receipts: 'http://127.0.0.1:3004' } });
    for (const issuer of ISSUER_NAMES) expect(JSON.parse(environments[`${issuer}-issuer`].LOCAL_ISSUER_CLIENTS!)).toEqual({ 'silta-web': ['http://127.0.0.1:3000/auth/callback'] });
  });

  it("gives no process a secret of another party than its own", () => {
    const crossings = SECRETS.flatMap((secret) => holding(secret.value).filter((name) => PARTY_OF[name] !== secret.owner).map((name) => `${secret.what} (${secret.owner}'s) reaches ${name} (${PARTY_OF[name]}'s)`));
    expect(crossings).toEqual([]);
  });

  it('gives each secret to exactly the processes that need it: INTERNAL_TOKEN_SECRET to roster, disclosure and consent, never receipts', () => {
    for (const secret of SECRETS) expect({ secret: secret.what, holders: holding(secret.value).sort() }).toEqual({ secret: secret.what, holders: [...secret.holders].sort() });
    expect(environments.receipts).not.toHaveProperty('INTERNAL_TOKEN_SECRET');
  });

  it("points disclosure's and consent's ROSTER_URL at roster's port, and no other app's", () => {
    for (const app of ['disclosure', 'consent'] as const) expect(environments[app].ROSTER_URL).toBe(`http://127.0.0.1:${inputs.ports.roster}`);
    expect(environments.receipts).not.toHaveProperty('ROSTER_URL');
  });

  it("passes nothing of the caller's own environment but the system's and the app settings", () => {
    const stray = ['JWT_SECRET', 'NODE_AUTH_TOKEN', 'PGPASSWORD', 'KAFKA_PASSWORD', 'AWS_SECRET_ACCESS_KEY', 'TEST_POSTGRES_URL'];
    for (const name of processes) {
      for (const variable of stray) expect({ process: name, variable, value: environments[name][variable] }).toEqual({ process: name, variable, value: undefined });
      for (const variable of stray) expect(Object.values(environments[name]).join('\n')).not.toContain(inputs.userEnv[variable]);
      expect(environments[name]).toMatchObject({ PATH: '/usr/bin:/bin', HOME: '/home/dev', LANG: 'C.UTF-8', NODE_OPTIONS: '--max-old-space-size=512' });
    }
    for (const app of APPS) expect(environments[app].KAFKA_GROUP_SUFFIX).toBe('-dev');
  });

  it("makes each app its own Kafka principal, and gives receipts the municipality's audit key only as the public verifier key", () => {
    for (const app of APPS) {
      expect(environments[app]).toMatchObject({ KAFKA_USERNAME: app, KAFKA_PASSWORD_FILE: password(app), KAFKA_SSL_CA_FILE: '/srv/kafka/tls/ca.pem', KAFKA_BROKERS: '127.0.0.1:9092' });
    }
    expect(environments.receipts.PEER_AUDIT_KEY).toBe(verifierKeyOf(inputs.secrets.auditSigningKeys.disclosure));
    expect(environments.disclosure.PEER_AUDIT_KEY).toBe(verifierKeyOf(inputs.secrets.auditSigningKeys.receipts));
    expect(environments.receipts.TRUSTED_ISSUERS).toBe(inputs.trustFiles['welfare-area']);
    for (const app of ['roster', 'consent', 'disclosure'] as const) expect(environments[app].TRUSTED_ISSUERS).toBe(inputs.trustFiles.municipality);
    for (const issuer of ISSUER_NAMES) expect(JSON.parse(environments[`${issuer}-issuer`].LOCAL_ISSUER_KEY!)).toEqual(issuerKeys[issuer]);
  });

  describe('and each app boots on what it is given', () => {
    let folder: string;
    beforeAll(() => {
      folder = mkdtempSync(join(tmpdir(), 'silta-parties-'));
      mkdirSync(join(folder, 'credentials'));
      for (const principal of APPS) writeFileSync(join(folder, 'credentials', `${principal}.password`), `${principal}-password-0123456789abcdef\n`);
      writeFileSync(join(folder, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    });
    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    it.each(APPS)('%s', (app) => {
      const env = processEnvironments({ ...inputs, broker: { brokers: '127.0.0.1:9092', caFile: join(folder, 'ca.pem'), credentialsDir: join(folder, 'credentials') } })[app];
      const config = loadConfig(app as ServiceName, env);
      expect(config).toMatchObject({ KAFKA_USERNAME: app, KAFKA_PASSWORD: `${app}-password-0123456789abcdef`, port: inputs.ports[app] });
      expect(config.JWT_SECRET).toBeUndefined();
    });

    it.each(['disclosure', 'receipts'] as const)("%s signs and witnesses with the local secrets file's keys, each named after its log's origin", (app) => {
      const secrets = loadLocalSecrets({ DATA_DIR: join(folder, 'data') });
      const env = processEnvironments({ ...inputs, secrets, broker: { brokers: '127.0.0.1:9092', caFile: join(folder, 'ca.pem'), credentialsDir: join(folder, 'credentials') } })[app];
      const peer = app === 'disclosure' ? 'receipts' : 'disclosure';
      expect(auditLogSettings(loadConfig(app, env))).toMatchObject({ origin: `silta.${app}/local`, peer: { origin: `silta.${peer}/local`, verifierKey: verifierKeyOf(secrets.auditSigningKeys[peer]) } });
    });
  });

  it("writes trust files the apps' trust-file reader accepts: the municipality trusts all three issuers, receipts only the welfare area's professionals and auditors", () => {
    const municipality = parseTrustedIssuers(trustFileFor('municipality', {}), 'municipality');
    expect(municipality.map(({ name, issuer }) => [name, issuer])).toEqual([
      ['municipality', 'http://127.0.0.1:3010'],
      ['welfare-area', 'http://127.0.0.1:3011'],
      ['citizen', 'http://127.0.0.1:3012'],
    ]);
    expect(municipality.find(({ name }) => name === 'citizen')!.organisations).toEqual([]);
    const welfareArea = parseTrustedIssuers(trustFileFor('welfare-area', { WELFARE_AREA_ISSUER_PORT: '4011' }), 'welfare-area');
    expect(welfareArea).toEqual([
      expect.objectContaining({ name: 'welfare-area', issuer: 'http://127.0.0.1:4011', roles: ['curator', 'psychologist', 'nurse', 'doctor', 'auditor'], organisations: ['welfare-area:demo'] }),
    ]);
    // With the keys inline (compose), the public halves only.
    const inline = trustFileFor('welfare-area', {}, { 'welfare-area': publicJwkOf(issuerKeys['welfare-area']) });
    expect(JSON.stringify(inline)).not.toContain(issuerKeys['welfare-area'].d);
    expect(() => parseTrustedIssuers(inline, 'inline')).not.toThrow();
  });
});

describe('the local secrets file', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'silta-secrets-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is created once, 0600, with each issuer its own Ed25519 key (kid its thumbprint), and reused', () => {
    const first = loadLocalSecrets({ DATA_DIR: dataDir });
    expect(statSync(localSecretsFile({ DATA_DIR: dataDir })).mode & 0o777).toBe(0o600);
    const kids = ISSUER_NAMES.map((name) => first.issuerKeys[name].kid);
    expect(new Set(kids).size).toBe(3);
    for (const name of ISSUER_NAMES) expect(first.issuerKeys[name]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: expect.stringMatching(/^[\w-]{43}$/) });
    expect(first.INTERNAL_TOKEN_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(loadLocalSecrets({ DATA_DIR: dataDir })).toEqual(first);
    expect(readFileSync(localSecretsFile({ DATA_DIR: dataDir }), 'utf8')).not.toContain('JWT_SECRET');
  });

  it('adds what a file from before the issuers lacks, keeping the audit keys that signed earlier checkpoints', () => {
    const file = localSecretsFile({ DATA_DIR: dataDir });
    const old = {
      JWT_SECRET: 'x'.repeat(43),
      INTERNAL_TOKEN_SECRET: 'i'.repeat(43),
      AUDIT_SIGNING_KEY: generateSignerKey('silta.disclosure/local'),
      RECEIPTS_AUDIT_SIGNING_KEY: generateSignerKey('silta.receipts/local'),
    };
    writeFileSync(file, JSON.stringify(old));
    chmodSync(file, 0o600);
    const secrets = loadLocalSecrets({ DATA_DIR: dataDir });
    expect(secrets).toMatchObject({ INTERNAL_TOKEN_SECRET: old.INTERNAL_TOKEN_SECRET, auditSigningKeys: { disclosure: old.AUDIT_SIGNING_KEY, receipts: old.RECEIPTS_AUDIT_SIGNING_KEY } });
    expect(Object.keys(secrets.issuerKeys).sort()).toEqual([...ISSUER_NAMES].sort());
    expect(loadLocalSecrets({ DATA_DIR: dataDir })).toEqual(secrets);
  });

  it("renames an audit key from before keys were named after their log's origin, keeping its Ed25519 key, and says so", () => {
    loadLocalSecrets({ DATA_DIR: dataDir });
    const file = localSecretsFile({ DATA_DIR: dataDir });
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    const oldKeys = { disclosure: renamedSignerKey(stored.AUDIT_SIGNING_KEY!, 'silta-local-audit'), receipts: renamedSignerKey(stored.RECEIPTS_AUDIT_SIGNING_KEY!, 'silta-local-receipts') };
    writeFileSync(file, JSON.stringify({ ...stored, AUDIT_SIGNING_KEY: oldKeys.disclosure, RECEIPTS_AUDIT_SIGNING_KEY: oldKeys.receipts }));

    const secrets = loadLocalSecrets({ DATA_DIR: dataDir });
    const publicKey = (signerKey: string) => parseVerifierKey(verifierKeyOf(signerKey)).publicKey;
    expect(secrets.auditSigningKeys.disclosure).toBe(stored.AUDIT_SIGNING_KEY);
    expect(signerKeyName(secrets.auditSigningKeys.receipts)).toBe('silta.receipts/local');
    expect(publicKey(secrets.auditSigningKeys.receipts)).toEqual(publicKey(oldKeys.receipts));
    expect(secrets.notes).toEqual([
      expect.stringContaining(`AUDIT_SIGNING_KEY renamed from "silta-local-audit" to its log's origin "silta.disclosure/local"`),
      expect.stringContaining(`RECEIPTS_AUDIT_SIGNING_KEY renamed from "silta-local-receipts" to its log's origin "silta.receipts/local"`),
    ]);
    expect(secrets.notes[0]).toContain(`Checkpoints signed before the rename verify with the old one: ${verifierKeyOf(oldKeys.disclosure)}`);
    expect(secrets.notes.join('\n')).not.toContain(stored.AUDIT_SIGNING_KEY);
    // The file now holds the renamed keys: the next start has nothing to say.
    expect(loadLocalSecrets({ DATA_DIR: dataDir })).toEqual({ ...secrets, notes: [] });
    // An origin set for the run names the key after it.
    expect(signerKeyName(loadLocalSecrets({ DATA_DIR: dataDir, AUDIT_ORIGIN: 'silta.disclosure/dev' }).auditSigningKeys.disclosure)).toBe('silta.disclosure/dev');
  });

  it('refuses an issuer key whose kid or public half does not match', () => {
    const file = localSecretsFile({ DATA_DIR: dataDir });
    const secrets = loadLocalSecrets({ DATA_DIR: dataDir });
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { ISSUER_KEYS: Record<string, Record<string, string>> };
    stored.ISSUER_KEYS.citizen!.x = secrets.issuerKeys.municipality.x;
    writeFileSync(file, JSON.stringify(stored));
    expect(() => loadLocalSecrets({ DATA_DIR: dataDir })).toThrow(/ISSUER_KEYS.citizen is unusable/);
  });
});

describe('docker-compose.yml: what each service can read', () => {
  interface Service {
    environment?: Record<string, string | number | boolean | null>;
    secrets?: Array<string | { source: string }>;
    configs?: Array<string | { source: string }>;
  }
  const compose = load(readFileSync(join(__dirname, '..', 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, Service>;
    secrets: Record<string, { file: string }>;
    configs: Record<string, { file: string }>;
  };

  /** Whose each service is. The broker and its set-up are shared infrastructure: they hold Kafka credentials only. */
  const PARTY: Record<string, Owner | 'broker'> = {
    roster: 'municipality',
    consent: 'municipality',
    disclosure: 'municipality',
    eventstore: 'municipality',
    'municipality-postgres': 'municipality',
    receipts: 'welfare-area',
    'welfare-area-postgres': 'welfare-area',
    kafka: 'broker',
    'kafka-setup': 'broker',
    // The people's front end: it forwards to both parties' APIs but holds only its own cookie key.
    web: 'municipality',
  };
  /** Each generated secret: whose it is and the services that need it (the broker formats its storage with every principal's password). */
  const OWNERS: Record<string, { owner: Owner | 'broker'; holders: readonly string[] }> = {
    'kafka-broker-keystore': { owner: 'broker', holders: ['kafka'] },
    'kafka-ca.key': { owner: 'broker', holders: [] },
    'kafka-broker-password': { owner: 'broker', holders: ['kafka'] },
    'kafka-controller-password': { owner: 'broker', holders: ['kafka'] },
    'kafka-admin-password': { owner: 'broker', holders: ['kafka', 'kafka-setup'] },
    'kafka-roster-password': { owner: 'municipality', holders: ['kafka', 'roster'] },
    'kafka-consent-password': { owner: 'municipality', holders: ['kafka', 'consent'] },
    'kafka-disclosure-password': { owner: 'municipality', holders: ['kafka', 'disclosure'] },
    'kafka-receipts-password': { owner: 'welfare-area', holders: ['kafka', 'receipts'] },
    'municipality-internal-token-secret': { owner: 'municipality', holders: ['roster', 'disclosure', 'consent'] },
    'municipality-audit-signing-key': { owner: 'municipality', holders: ['disclosure'] },
    // In the database URLs of the municipality's apps too.
    'municipality-postgres-password': { owner: 'municipality', holders: ['municipality-postgres', 'roster', 'consent', 'disclosure'] },
    'roster-database-url': { owner: 'municipality', holders: ['roster'] },
    'consent-database-url': { owner: 'municipality', holders: ['consent'] },
    'disclosure-database-url': { owner: 'municipality', holders: ['disclosure'] },
    'welfare-area-audit-signing-key': { owner: 'welfare-area', holders: ['receipts'] },
    'welfare-area-postgres-password': { owner: 'welfare-area', holders: ['welfare-area-postgres', 'receipts'] },
    'receipts-database-url': { owner: 'welfare-area', holders: ['receipts'] },
    'web-session-key': { owner: 'municipality', holders: ['web'] },
  };

  let folder: string;
  /** Everything a service can read: its environment and the files it mounts. */
  let readable: Record<string, string>;
  let secretValues: Record<string, string>;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'silta-compose-secrets-'));
    generateComposeFiles(join(folder, 'secrets'), join(folder, 'data'));
    const content = (file: string) => readFileSync(join(folder, 'secrets', basename(file)), 'utf8').trim();
    const sources = (entries: Service['secrets']) => (entries ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.source));
    readable = Object.fromEntries(
      Object.entries(compose.services).map(([name, service]) => [
        name,
        [
          ...Object.values(service.environment ?? {}).map(String),
          ...sources(service.secrets).map((source) => content(compose.secrets[source]!.file)),
          ...sources(service.configs).map((source) => content(compose.configs[source]!.file)),
        ].join('\n'),
      ]),
    );
    const secrets = Object.entries(composeFiles(join(folder, 'data'))).filter(([, { secret }]) => secret);
    secretValues = Object.fromEntries(secrets.map(([name]) => [name, readFileSync(join(folder, 'secrets', name), 'utf8').trim()]));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const holding = (value: string) => Object.keys(readable).filter((name) => readable[name]!.includes(value));

  it('knows whose every service and every generated secret is', () => {
    expect(Object.keys(compose.services).sort()).toEqual(Object.keys(PARTY).sort());
    expect(Object.keys(secretValues).sort()).toEqual(Object.keys(OWNERS).sort());
  });

  it('gives no service a secret of another party than its own', () => {
    const crossings = Object.entries(OWNERS).flatMap(([name, { owner }]) =>
      holding(secretValues[name]!)
        .filter((service) => PARTY[service] !== owner && !(PARTY[service] === 'broker' && name.startsWith('kafka-')))
        .map((service) => `${name} (${owner}'s) reaches ${service} (${PARTY[service]}'s)`),
    );
    expect(crossings).toEqual([]);
  });

  it('gives each secret to exactly the services that need it: INTERNAL_TOKEN_SECRET to roster, disclosure and consent, never receipts', () => {
    for (const [name, { holders }] of Object.entries(OWNERS)) expect({ secret: name, holders: holding(secretValues[name]!).sort() }).toEqual({ secret: name, holders: [...holders].sort() });
    expect(holding(secretValues['municipality-internal-token-secret']!)).not.toContain('receipts');
  });
});
