import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig, type ServiceName } from '@silta/platform/config';
import { loadTrustedIssuers } from '@silta/platform/auth/trusted-issuers';
import { verifierKeyOf } from '@silta/transparency';
import { auditLogSettings } from '@silta/audit-trail';
import { composeFiles, generateComposeFiles } from '../scripts/compose-secrets';
import { renamedSignerKey } from '../scripts/local-secrets';
import { WEB_CLIENT_ID } from '../scripts/parties';
import { WEB_CONFIG_ENV_NAMES, loadWebConfig, type PartyApi } from '../apps/web/src/server/config';

// Docker cannot run where the tests run, so this reads docker-compose.yml the way compose would
// and checks it against what the apps actually need: their config schema, the files the operator
// generates (npm run compose:secrets), the broker's script, and each other.
const root = join(__dirname, '..');
const APPS: readonly ServiceName[] = ['roster', 'consent', 'disclosure', 'receipts'];
const MUNICIPALITY_APPS: readonly ServiceName[] = ['roster', 'consent', 'disclosure'];

interface ComposeService {
  image?: string;
  build?: string | { context?: string; args?: Record<string, string> | string[] };
  command?: string | string[];
  entrypoint?: string | string[];
  restart?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: Array<string | { target: number; published?: string | number }>;
  volumes?: Array<string | { source?: string; target: string }>;
  secrets?: Array<string | { source: string; target?: string }>;
  configs?: Array<string | { source: string; target?: string }>;
  networks?: string[] | Record<string, unknown>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
}

interface Compose {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { file?: string }>;
  configs?: Record<string, { file?: string }>;
  networks?: Record<string, unknown>;
}

/** The SCRAM users deploy/docker/kafka/broker.sh creates when it formats the storage. */
const SCRAM_PRINCIPALS_OF_BROKER_SH = (/^SCRAM_PRINCIPALS=\(([^)]*)\)/m.exec(readFileSync(join(root, 'deploy', 'docker', 'kafka', 'broker.sh'), 'utf8'))?.[1] ?? '').split(/\s+/).filter(Boolean);

/** The variables deploy/docker/entrypoint.sh reads from <NAME>_FILE. */
const ENTRYPOINT_READS = (/^for name in ([\w ]+); do$/m.exec(readFileSync(join(root, 'deploy', 'docker', 'entrypoint.sh'), 'utf8'))?.[1] ?? '').split(' ');

/** What `npm run compose:secrets` writes, generated into a folder of this test's own. */
function composeFilesFor(folder: string) {
  const dir = join(folder, 'secrets');
  generateComposeFiles(dir, join(folder, 'data'));
  const specs = composeFiles(join(folder, 'data'));
  return {
    generated: Object.keys(specs),
    isSecret: (name: string) => specs[name]?.secret,
    /** The generated file behind a compose `file:` (./deploy/docker/secrets/<name>). */
    path: (composePath: string) => join(dir, basename(composePath)),
    entrypointReads: ENTRYPOINT_READS,
  };
}

const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const compose = load(text) as Compose;
const services = compose.services;

/** The environment as a map of strings, whichever of compose's two forms the file uses. */
function environmentOf(name: string): Record<string, string> {
  const env = services[name]?.environment ?? {};
  const entries = Array.isArray(env)
    ? env.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
    : Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]);
  return Object.fromEntries(entries) as Record<string, string>;
}

const dependsOn = (name: string): Record<string, string | undefined> => {
  const deps = services[name]?.depends_on ?? [];
  return Array.isArray(deps) ? Object.fromEntries(deps.map((dep) => [dep, undefined])) : Object.fromEntries(Object.entries(deps).map(([dep, { condition }]) => [dep, condition]));
};
const networksOf = (name: string): string[] => {
  const networks = services[name]?.networks ?? ['default'];
  return Array.isArray(networks) ? networks : Object.keys(networks);
};
/** Where each mounted secret or config appears in the container, by its compose name. */
function mountsOf(name: string, kind: 'secrets' | 'configs'): Record<string, string> {
  return Object.fromEntries(
    (services[name]?.[kind] ?? []).map((entry) => {
      const { source, target } = typeof entry === 'string' ? { source: entry, target: undefined } : entry;
      const path = target ?? (kind === 'secrets' ? `/run/secrets/${source}` : `/${source}`);
      return [source, path.startsWith('/') ? path : `/run/secrets/${path}`];
    }),
  );
}

describe('docker-compose.yml', () => {
  let folder: string;
  let files: ReturnType<typeof composeFilesFor>;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'silta-compose-'));
    files = composeFilesFor(folder);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  /**
   * The app's environment as its container would see it: the compose secrets and configs it mounts
   * stand at their paths (here: the generator's files), and the image's entry point has read each
   * <NAME>_FILE of its list into <NAME>.
   */
  function containerEnvironmentOf(name: string): Record<string, string> {
    const hostPath: Record<string, string> = {};
    for (const [source, target] of Object.entries(mountsOf(name, 'secrets'))) hostPath[target] = files.path(compose.secrets![source]!.file!);
    for (const [source, target] of Object.entries(mountsOf(name, 'configs'))) hostPath[target] = files.path(compose.configs![source]!.file!);
    const env = Object.fromEntries(Object.entries(environmentOf(name)).map(([key, value]) => [key, hostPath[value] ?? value]));
    for (const variable of files.entrypointReads) {
      const file = env[`${variable}_FILE`];
      if (file === undefined) continue;
      env[variable] = readFileSync(file, 'utf8').replace(/\n+$/, '');
      delete env[`${variable}_FILE`];
    }
    return env;
  }

  it('defines the broker, its one-shot set-up, each party backing services, and the four apps', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['kafka', 'kafka-setup', 'eventstore', 'municipality-postgres', 'welfare-area-postgres', ...APPS]));
    expect(services.kafka!.image).toMatch(/^apache\/kafka:4\.1\./);
    expect(environmentOf('eventstore')).toMatchObject({ EVENTSTORE_INSECURE: 'true', EVENTSTORE_RUN_PROJECTIONS: 'None' });
    expect(services['municipality-postgres']!.image).toMatch(/^postgres:16/);
    expect(services['welfare-area-postgres']!.image).toMatch(/^postgres:16/);
  });

  it('writes no secret into the file: no interpolated or literal secret, only files the operator generates', () => {
    expect(text).not.toMatch(/\$\{/);
    for (const name of Object.keys(services)) {
      for (const [key, value] of Object.entries(environmentOf(name))) {
        if (/SECRET|PASSWORD|_KEY$|DATABASE_URL$/.test(key)) expect({ service: name, key, value }).toEqual({ service: name, key, value: expect.stringMatching(/^\/(run\/secrets|etc\/silta)\//) });
      }
    }
    const sources = [...Object.values(compose.secrets ?? {}), ...Object.values(compose.configs ?? {})].map(({ file }) => file);
    for (const file of sources) {
      expect(file).toMatch(/^\.\/deploy\/docker\/secrets\/[\w.-]+$/);
      expect(files.generated).toContain(basename(file!));
    }
    // Which are secret is the generator's call: no generated secret is mounted as a (public) config.
    for (const { file } of Object.values(compose.configs ?? {})) expect({ file, secret: files.isSecret(basename(file!)) }).toEqual({ file, secret: false });
  });

  it('names only services that exist in depends_on, each healthy or, for a one-shot, completed', () => {
    for (const name of Object.keys(services)) {
      for (const [target, condition] of Object.entries(dependsOn(name))) {
        expect({ service: name, dependsOn: target, exists: target in services }).toEqual({ service: name, dependsOn: target, exists: true });
        if (condition === 'service_completed_successfully') {
          expect({ target, restart: services[target]!.restart }).toEqual({ target, restart: 'no' });
        } else {
          // The apps' health check is the Dockerfile's HEALTHCHECK.
          const healthcheck = Boolean(services[target]?.healthcheck?.test) || APPS.includes(target as ServiceName);
          expect({ service: target, condition, healthcheck }).toEqual({ service: target, condition: 'service_healthy', healthcheck: true });
        }
      }
    }
    for (const app of APPS) expect(dependsOn(app)['kafka-setup']).toBe('service_completed_successfully');
    for (const app of MUNICIPALITY_APPS) expect(Object.keys(dependsOn(app))).toEqual(expect.arrayContaining(['eventstore', 'municipality-postgres']));
    expect(Object.keys(dependsOn('receipts'))).toContain('welfare-area-postgres');
    expect(dependsOn('disclosure').roster).toBe('service_healthy');
  });

  describe('the broker', () => {
    const script = readFileSync(join(root, 'deploy', 'docker', 'kafka', 'broker.sh'), 'utf8');

    it('runs deploy/docker/kafka/broker.sh: SASL_SSL with SCRAM for clients, the controller on loopback, no ACL no access', () => {
      expect(services.kafka!.entrypoint).toEqual(['/bin/bash', '/etc/silta/broker.sh']);
      expect(services.kafka!.volumes).toContain('./deploy/docker/kafka/broker.sh:/etc/silta/broker.sh:ro');
      expect(script).toContain('listener.security.protocol.map=CLIENT:SASL_SSL,CONTROLLER:SASL_PLAINTEXT');
      expect(script).toContain('listeners=CLIENT://:9092,CONTROLLER://127.0.0.1:9093');
      // The security settings come from the one snippet kafka.sh uses too, mounted beside the script.
      expect(services.kafka!.volumes).toContain('./deploy/kafka/security-properties.sh:/etc/silta/security-properties.sh:ro');
      expect(script).toContain('source /etc/silta/security-properties.sh');
      const security = spawnSync('bash', ['-c', 'source deploy/kafka/security-properties.sh && security_properties k.pem ca.pem b controller c'], { cwd: root, encoding: 'utf8' }).stdout;
      expect(security).toContain('listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512');
      expect(security).toContain('authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer');
      expect(security).toContain('allow.everyone.if.no.acl.found=false');
      expect(security).toContain('super.users=User:broker;User:controller;User:admin');
      expect(script).not.toMatch(/PLAINTEXT:\/\/|:PLAINTEXT\b/);
      expect(spawnSync('bash', ['-n', join(root, 'deploy', 'docker', 'kafka', 'broker.sh')]).status).toBe(0);
    });

    it("formats its storage with a SCRAM user for every app and admin, each password a secret it mounts, and its TLS files from the generator", () => {
      expect(SCRAM_PRINCIPALS_OF_BROKER_SH).toEqual(expect.arrayContaining([...APPS, 'admin', 'broker']));
      const mounted = mountsOf('kafka', 'secrets');
      for (const principal of [...SCRAM_PRINCIPALS_OF_BROKER_SH, 'controller']) expect(mounted[`kafka-${principal}-password`]).toBe(`/run/secrets/kafka-${principal}-password`);
      expect(script).toContain('SECRETS=/run/secrets');
      expect(mounted['kafka-broker-keystore']).toBe('/run/secrets/kafka-broker-keystore');
      expect(mountsOf('kafka', 'configs')['kafka-ca']).toBe('/etc/silta/kafka-ca.pem');
      // The generated key store holds the key and a certificate for the advertised host, signed by the CA.
      const keystore = readFileSync(files.path('./deploy/docker/secrets/kafka-broker-keystore'), 'utf8');
      expect(keystore).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      const verify = spawnSync('openssl', ['verify', '-CAfile', files.path('./deploy/docker/secrets/kafka-ca.pem'), files.path('./deploy/docker/secrets/kafka-broker-keystore')], { encoding: 'utf8' });
      expect(verify.stdout).toContain(': OK');
      const san = spawnSync('openssl', ['x509', '-noout', '-ext', 'subjectAltName', '-in', files.path('./deploy/docker/secrets/kafka-broker-keystore')], { encoding: 'utf8' });
      expect(san.stdout).toContain('DNS:kafka');
      expect(script).toContain('advertised.listeners=CLIENT://$HOST:9092');
      expect(script).toMatch(/^HOST=kafka$/m);
    });

    it('is set up once by kafka-setup: the compiled setup entry of the apps image, as admin', () => {
      const setup = services['kafka-setup']!;
      expect(setup.build).toMatchObject({ context: '.' });
      expect(setup.command).toEqual(['node', 'dist/libs/messaging/src/security/setup-main.js']);
      // tsc -p tsconfig.build.json compiles <path>.ts to dist/<path>.js (rootDir ".").
      expect(existsSync(join(root, 'libs', 'messaging', 'src', 'security', 'setup-main.ts'))).toBe(true);
      const build = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as { compilerOptions: { outDir: string; rootDir: string } };
      expect(build.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.' });
      expect(environmentOf('kafka-setup')).toMatchObject({ KAFKA_BROKERS: 'kafka:9092', KAFKA_USERNAME: 'admin', KAFKA_PASSWORD_FILE: '/run/secrets/kafka-admin-password', KAFKA_SSL_CA_FILE: '/etc/silta/kafka-ca.pem' });
      expect(Object.keys(mountsOf('kafka-setup', 'secrets'))).toEqual(['kafka-admin-password']);
      expect(dependsOn('kafka-setup').kafka).toBe('service_healthy');
    });
  });

  describe.each(APPS)('%s', (app) => {
    const env = environmentOf(app);

    it('runs its own app from the one image', () => {
      const build = services[app]!.build;
      expect(typeof build === 'object' && !Array.isArray(build.args) ? build.args?.SERVICE : undefined).toBe(app);
      const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
      expect(dockerfile).toContain('dist/apps/$SERVICE/src/main.js');
      expect(dockerfile).toContain('ENTRYPOINT ["/app/deploy/docker/entrypoint.sh"]');
    });

    it('is its own Kafka principal, with its own password file, on the broker the kafka service advertises', () => {
      expect(env).toMatchObject({ KAFKA_USERNAME: app, KAFKA_PASSWORD_FILE: `/run/secrets/kafka-${app}-password`, KAFKA_BROKERS: 'kafka:9092', KAFKA_SSL_CA_FILE: '/etc/silta/kafka-ca.pem' });
      expect(Object.keys(mountsOf(app, 'secrets')).filter((secret) => secret.startsWith('kafka-'))).toEqual([`kafka-${app}-password`]);
      expect(networksOf(app)).toContain('broker');
    });

    it("verifies tokens against its party's trust file only (no JWT_SECRET), which the apps' reader accepts", () => {
      expect(env.JWT_SECRET).toBeUndefined();
      const party = app === 'receipts' ? 'welfare-area' : 'municipality';
      expect(mountsOf(app, 'configs')[`${party}-trusted-issuers`]).toBe(env.TRUSTED_ISSUERS);
      const issuers = loadTrustedIssuers(containerEnvironmentOf(app).TRUSTED_ISSUERS!);
      // Keys inline: a JWKS URL on 127.0.0.1 would point at the container itself.
      for (const issuer of issuers) expect(issuer.keys.kind).toBe('static');
      expect(issuers.map(({ name }) => name)).toEqual(app === 'receipts' ? ['welfare-area'] : ['municipality', 'welfare-area', 'citizen']);
    });

    it("reaches its own party's database, and only its party's networks", () => {
      const container = containerEnvironmentOf(app);
      const database = new URL(container.DATABASE_URL ?? 'missing:');
      if (app === 'receipts') {
        expect(container.EVENTSTORE_CONNECTION_STRING).toBeUndefined();
        expect({ host: database.hostname, user: database.username, database: database.pathname }).toEqual({ host: 'welfare-area-postgres', user: environmentOf('welfare-area-postgres').POSTGRES_USER, database: `/${environmentOf('welfare-area-postgres').POSTGRES_DB}` });
        expect(database.password).toBe(readFileSync(files.path('./deploy/docker/secrets/welfare-area-postgres-password'), 'utf8').trim());
        expect(networksOf(app)).not.toContain('municipality');
      } else {
        const eventStore = new URL(container.EVENTSTORE_CONNECTION_STRING ?? 'missing:');
        expect({ protocol: eventStore.protocol, host: eventStore.hostname, port: eventStore.port }).toEqual({ protocol: 'esdb:', host: 'eventstore', port: '2113' });
        expect({ host: database.hostname, user: database.username, database: database.pathname }).toEqual({ host: 'municipality-postgres', user: environmentOf('municipality-postgres').POSTGRES_USER, database: `/${app}` });
        expect(database.password).toBe(readFileSync(files.path('./deploy/docker/secrets/municipality-postgres-password'), 'utf8').trim());
        expect(networksOf(app)).not.toContain('welfare-area');
      }
    });

    it('listens on all interfaces of its container, on the port compose publishes', () => {
      const config = loadConfig(app, containerEnvironmentOf(app));
      expect(config.HOST).toBe('0.0.0.0');
      const published = (services[app]!.ports ?? []).map((port) => (typeof port === 'string' ? Number(port.split(':').pop()) : port.target));
      expect(published).toContain(config.port);
    });

    it("passes the app's own config validation with the generated files in place", () => {
      const config = loadConfig(app, containerEnvironmentOf(app));
      expect(config.KAFKA_PASSWORD).toBe(readFileSync(files.path(`./deploy/docker/secrets/kafka-${app}-password`), 'utf8').trim());
      expect(config.kafkaCaPem).toContain('-----BEGIN CERTIFICATE-----');
    });
  });

  describe('web, the people\'s front end', () => {
    const env = environmentOf('web');

    it('runs the web app from the one image, its bundle built into the image where the server reads it', () => {
      const build = services.web!.build;
      expect(typeof build === 'object' && !Array.isArray(build.args) ? build.args?.SERVICE : undefined).toBe('web');
      expect(services.web!.image).toBe('silta-web:local');
      // The Dockerfile runs dist/apps/$SERVICE/src/main.js; tsc (rootDir ".") compiles apps/web/src/main.ts there.
      expect(existsSync(join(root, 'apps', 'web', 'src', 'main.ts'))).toBe(true);
      const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
      // npm run build, run by the image's build stage, ends with the bundle (apps/web/build.ts: dist/web/public).
      const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
      expect(dockerfile).toMatch(/^RUN npm run build\b/m);
      expect(scripts.build).toContain('apps/web/build.ts');
      expect(readFileSync(join(root, 'apps', 'web', 'build.ts'), 'utf8')).toContain("join(root, 'dist', 'web', 'public')");
      expect(dockerfile).toContain('COPY --from=build /app/dist ./dist');
      expect(dockerfile).toContain('WEB_PUBLIC_DIR=/app/dist/web/public');
      expect(env.WEB_PUBLIC_DIR).toBe('/app/dist/web/public');
      // Nothing written at run time: a read-only root with a tmpfs for /tmp.
      expect(services.web as unknown).toMatchObject({ read_only: true, tmpfs: ['/tmp'] });
    });

    it("sets only names its own config schema knows (or <NAME>_FILE the image reads), and passes that schema with the generated key", () => {
      const known = new Set<string>([...WEB_CONFIG_ENV_NAMES, ...files.entrypointReads.map((name) => `${name}_FILE`)]);
      expect(Object.keys(env).filter((name) => !known.has(name))).toEqual([]);
      expect(env.WEB_SESSION_KEY).toBeUndefined();
      expect(mountsOf('web', 'secrets')).toEqual({ 'web-session-key': env.WEB_SESSION_KEY_FILE });
      const config = loadWebConfig(containerEnvironmentOf('web'));
      expect(Buffer.from(config.sessionKey).toString('base64url')).toBe(readFileSync(files.path('./deploy/docker/secrets/web-session-key'), 'utf8').trim());
      expect(config.host).toBe('0.0.0.0');
    });

    it('holds no data and no credential but its session key: no broker, no database, no trust file, no party key', () => {
      expect(Object.keys(mountsOf('web', 'secrets'))).toEqual(['web-session-key']);
      expect(Object.keys(mountsOf('web', 'configs'))).toEqual([]);
      expect(Object.keys(env).filter((name) => /^(KAFKA_|DATABASE_|EVENTSTORE_|TRUSTED_ISSUERS|INTERNAL_TOKEN|AUDIT_|PEER_AUDIT)/.test(name))).toEqual([]);
      const backing = ['kafka', 'eventstore', 'municipality-postgres', 'welfare-area-postgres'];
      for (const service of backing) expect({ service, shared: networksOf('web').filter((network) => networksOf(service).includes(network)) }).toEqual({ service, shared: [] });
    });

    it("forwards to each app by its service name, on the port the app listens on, over a network they share", () => {
      const config = loadWebConfig(containerEnvironmentOf('web'));
      for (const app of APPS) {
        const url = new URL(config.apis[app as PartyApi] ?? 'missing:');
        const port = loadConfig(app, containerEnvironmentOf(app)).port;
        expect({ app, host: url.hostname, port: Number(url.port) }).toEqual({ app, host: app, port });
        expect({ app, shared: networksOf('web').some((network) => networksOf(app).includes(network)) }).toEqual({ app, shared: true });
        expect(dependsOn('web')[app]).toBe('service_healthy');
      }
      // Its networks join no party's apps to the other's: disclosure and receipts still meet only where they did.
      expect(networksOf('web').filter((network) => networksOf('disclosure').includes(network) && networksOf('receipts').includes(network))).toEqual([]);
    });

    it('signs in through the issuers the starter trust files hold, as the client the local issuers register, back at the URL compose publishes', () => {
      const config = loadWebConfig(containerEnvironmentOf('web'));
      const trusted = [
        ...loadTrustedIssuers(containerEnvironmentOf('roster').TRUSTED_ISSUERS!),
        ...loadTrustedIssuers(containerEnvironmentOf('receipts').TRUSTED_ISSUERS!),
      ];
      const issuers = new Map(trusted.map((issuer) => [issuer.name, issuer.issuer]));
      expect(config.providers.map((p) => ({ name: p.name, issuer: p.issuer, clientId: p.clientId }))).toEqual(
        ['municipality', 'welfare-area', 'citizen'].map((name) => ({ name, issuer: issuers.get(name), clientId: WEB_CLIENT_ID })),
      );
      // The browser comes back to <WEB_PUBLIC_URL>/auth/callback: where compose publishes the port on the host.
      const published = (services.web!.ports ?? []).map((port) => (typeof port === 'string' ? port : `${port.published}:${port.target}`));
      const publicUrl = new URL(config.publicUrl);
      expect(published).toContain(`${publicUrl.hostname}:${publicUrl.port}:${config.port}`);
      expect(config.redirectUri).toBe(`${config.publicUrl}/auth/callback`);
    });

    it('is health-checked on /health at WEB_PORT by the image\'s check, which the apps that follow can wait for', () => {
      expect(services.web!.healthcheck?.test).toEqual(['CMD', 'node', 'deploy/docker/healthcheck.js']);
      const script = readFileSync(join(root, 'deploy', 'docker', 'healthcheck.js'), 'utf8');
      expect(script).toContain("path: '/health'");
      // The check's port rule for web, run as the container would (SERVICE=web, its WEB_PORT): ask a server that
      // answers /health on that port only, so a check that used PORT or another default would fail.
      const config = loadWebConfig(containerEnvironmentOf('web'));
      expect(config.port).toBe(3000);
      const probe = spawnSync(process.execPath, ['-e', `
        const http = require('node:http');
        const server = http.createServer((q, r) => { r.statusCode = q.url === '/health' ? 200 : 404; r.end(); });
        server.listen(0, '127.0.0.1', () => {
          const { execFile } = require('node:child_process');
          execFile(process.execPath, [${JSON.stringify(join(root, 'deploy', 'docker', 'healthcheck.js'))}], { env: { SERVICE: 'web', PORT: '1', WEB_PORT: String(server.address().port) } }, (error) => {
            console.log(error ? 'unhealthy' : 'healthy'); server.close();
          });
        });`], { encoding: 'utf8' });
      expect(probe.stdout.trim()).toBe('healthy');
    });
  });

  it('gives the municipality apps databases its init script creates, no two the same, and receipts a server of its own', () => {
    const init = readFileSync(join(root, 'deploy', 'docker', 'postgres-init.sql'), 'utf8');
    const created = [...init.matchAll(/^\s*CREATE DATABASE (\w+)/gim)].map((match) => match[1]);
    const used = MUNICIPALITY_APPS.map((app) => new URL(containerEnvironmentOf(app).DATABASE_URL!).pathname.slice(1));
    expect(new Set(used).size).toBe(MUNICIPALITY_APPS.length);
    expect(created.sort()).toEqual([...used].sort());
    const mounts = (services['municipality-postgres']!.volumes ?? []).map((volume) => (typeof volume === 'string' ? volume : `${volume.source}:${volume.target}`));
    expect(mounts).toContainEqual(expect.stringMatching(/^\.\/deploy\/docker\/postgres-init\.sql:\/docker-entrypoint-initdb\.d\//));
    expect(environmentOf('municipality-postgres').POSTGRES_PASSWORD_FILE).toBe(mountsOf('municipality-postgres', 'secrets')['municipality-postgres-password']);
    expect(environmentOf('welfare-area-postgres').POSTGRES_PASSWORD_FILE).toBe(mountsOf('welfare-area-postgres', 'secrets')['welfare-area-postgres-password']);
    expect(networksOf('eventstore')).toEqual(['municipality']);
    expect(networksOf('municipality-postgres')).toEqual(['municipality']);
    expect(networksOf('welfare-area-postgres')).toEqual(['welfare-area']);
  });

  it('gives the two parties their own audit signing keys, each witnessing the other with its public verifier key', () => {
    const disclosure = loadConfig('disclosure', containerEnvironmentOf('disclosure'));
    const receipts = loadConfig('receipts', containerEnvironmentOf('receipts'));
    expect(disclosure.AUDIT_SIGNING_KEY).not.toBe(receipts.AUDIT_SIGNING_KEY);
    expect(auditLogSettings(disclosure)).toMatchObject({ origin: 'silta.disclosure/compose', peer: { origin: 'silta.receipts/compose', verifierKey: verifierKeyOf(receipts.AUDIT_SIGNING_KEY!), url: 'http://receipts:3004' } });
    expect(auditLogSettings(receipts)).toMatchObject({ origin: 'silta.receipts/compose', peer: { origin: 'silta.disclosure/compose', verifierKey: verifierKeyOf(disclosure.AUDIT_SIGNING_KEY!), url: 'http://disclosure:3003' } });
    for (const app of ['roster', 'consent'] as const) expect(containerEnvironmentOf(app).AUDIT_SIGNING_KEY).toBeUndefined();
    // They reach each other on the one network the two parties share.
    expect(networksOf('disclosure').filter((network) => networksOf('receipts').includes(network)).sort()).toEqual(['between-parties', 'broker']);
  });

  it("renames an audit signing key from before keys were named after their log's origin, keeping its key, and writes its verifier key anew", () => {
    const dir = join(folder, 'renamed');
    cpSync(join(folder, 'secrets'), dir, { recursive: true });
    const signerKey = readFileSync(join(dir, 'municipality-audit-signing-key'), 'utf8').trim();
    const before = renamedSignerKey(signerKey, 'silta-municipality');
    writeFileSync(join(dir, 'municipality-audit-signing-key'), `${before}\n`);

    const { written, notes } = generateComposeFiles(dir, join(folder, 'data'));
    expect(written).toEqual(['municipality-audit-verifier-key']);
    expect(readFileSync(join(dir, 'municipality-audit-signing-key'), 'utf8').trim()).toBe(signerKey);
    expect(readFileSync(join(dir, 'municipality-audit-verifier-key'), 'utf8').trim()).toBe(verifierKeyOf(signerKey));
    expect(notes).toEqual([expect.stringContaining(`municipality-audit-signing-key renamed from "silta-municipality" to disclosure's origin "silta.disclosure/compose"`)]);
    expect(notes[0]).toContain(`Checkpoints signed before the rename verify with the old one: ${verifierKeyOf(before)}`);
    expect(generateComposeFiles(dir, join(folder, 'data'))).toEqual({ written: [], notes: [] });
  });

  it.each(['disclosure', 'consent'] as const)("points %s's ROSTER_URL at the roster service's port, on the municipality's network", (app) => {
    const rosterUrl = new URL(environmentOf(app).ROSTER_URL ?? 'missing:');
    const rosterPort = loadConfig('roster', containerEnvironmentOf('roster')).port;
    expect({ host: rosterUrl.hostname, port: Number(rosterUrl.port) }).toEqual({ host: 'roster', port: rosterPort });
    expect(networksOf('roster')).toContain('municipality');
    expect(networksOf(app)).toContain('municipality');
  });

  it("gives INTERNAL_TOKEN_SECRET to roster, disclosure and consent only, which the apps' config requires of them and refuses to the others", () => {
    for (const app of APPS) {
      const holds = 'municipality-internal-token-secret' in mountsOf(app, 'secrets');
      expect({ app, holds }).toEqual({ app, holds: app === 'roster' || app === 'disclosure' || app === 'consent' });
    }
  });
});
