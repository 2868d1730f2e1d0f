import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { CONFIG_ENV_NAMES, loadConfig, type ServiceName } from '@silta/platform/config';
import { generateSignerKey, verifierKeyOf } from '@silta/transparency';
import { auditLogSettings } from '@silta/audit-trail';

// Docker cannot run where the tests run, so this reads docker-compose.yml the way compose would
// and checks it against what the apps actually need: their config schema and each other.
const root = join(__dirname, '..');
const APPS: readonly ServiceName[] = ['roster', 'consent', 'disclosure', 'receipts'];

interface ComposeService {
  image?: string;
  build?: string | { context?: string; args?: Record<string, string> | string[] };
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: Array<string | { target: number; published?: string | number }>;
  volumes?: Array<string | { source?: string; target: string }>;
  healthcheck?: { test: string | string[] };
}

const compose = load(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
const services = compose.services;

/** The environment as a map of strings, whichever of compose's two forms the file uses. */
function environmentOf(name: string): Record<string, string> {
  const env = services[name]?.environment ?? {};
  const entries = Array.isArray(env)
    ? env.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
    : Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]);
  return Object.fromEntries(entries) as Record<string, string>;
}

/** Compose's `${VAR}`, `${VAR:?message}` and `${VAR:-default}` with stand-ins for what the user sets. */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_match, name: string, kind?: string, rest?: string) =>
    kind === '-' ? (rest ?? '') : `dummy-${name.toLowerCase()}-`.padEnd(40, 'x'),
  );
}

/** The app's environment as the container would see it, with the user's secrets filled in. */
const filledEnvironmentOf = (name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(environmentOf(name)).map(([key, value]) => [key, interpolate(value)]));

const dependsOn = (name: string): string[] => {
  const deps = services[name]?.depends_on ?? [];
  return Array.isArray(deps) ? deps : Object.keys(deps);
};

/** `host:port` of the PLAINTEXT listener that the kafka service advertises to clients. */
function kafkaListener(): string {
  const advertised = environmentOf('kafka').KAFKA_ADVERTISED_LISTENERS ?? '';
  const plaintext = advertised.split(',').find((listener) => listener.startsWith('PLAINTEXT://'));
  return plaintext?.replace('PLAINTEXT://', '') ?? '(none advertised)';
}

describe('docker-compose.yml', () => {
  it('defines the backing services and the four apps', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['kafka', 'eventstore', 'postgres', ...APPS]));
    expect(services.kafka!.image).toMatch(/^apache\/kafka:4\.1\./);
    expect(environmentOf('kafka').KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(environmentOf('eventstore')).toMatchObject({ EVENTSTORE_INSECURE: 'true', EVENTSTORE_RUN_PROJECTIONS: 'None' });
    expect(services.postgres!.image).toMatch(/^postgres:16/);
  });

  it('names only services that exist in depends_on, and waits for each to be healthy', () => {
    for (const name of Object.keys(services)) {
      for (const target of dependsOn(name)) {
        expect({ service: name, dependsOn: target, exists: target in services }).toEqual({ service: name, dependsOn: target, exists: true });
        // The apps' health check is the Dockerfile's HEALTHCHECK.
        const healthcheck = Boolean(services[target]?.healthcheck) || APPS.includes(target as ServiceName);
        expect({ service: target, healthcheck }).toEqual({ service: target, healthcheck: true });
      }
    }
    for (const app of APPS) expect(dependsOn(app)).toEqual(expect.arrayContaining(['kafka', 'eventstore', 'postgres']));
    expect(dependsOn('disclosure')).toContain('roster');
  });

  describe.each(APPS)('%s', (app) => {
    const env = environmentOf(app);

    it('sets only variables the app reads', () => {
      const unknown = Object.keys(env).filter((key) => !(CONFIG_ENV_NAMES as readonly string[]).includes(key));
      expect(unknown).toEqual([]);
    });

    it('is built from the Dockerfile for this app', () => {
      const build = services[app]!.build;
      expect(typeof build === 'object' && !Array.isArray(build.args) ? build.args?.SERVICE : undefined).toBe(app);
      expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toContain('dist/apps/$SERVICE/src/main.js');
    });

    it('takes its secrets from the environment, never from the file', () => {
      expect(env.JWT_SECRET ?? env.JWT_JWKS_URL).toBeDefined();
      if (env.JWT_SECRET) expect(env.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?[^}]*\}$/);
      expect(env.INTERNAL_TOKEN_SECRET).toMatch(/^\$\{INTERNAL_TOKEN_SECRET:\?[^}]*\}$/);
    });

    it('reaches Kafka, EventStoreDB and its own PostgreSQL database through the compose services', () => {
      expect(env.KAFKA_BROKERS?.split(',')).toContain(kafkaListener());

      const eventStore = new URL(env.EVENTSTORE_CONNECTION_STRING ?? 'missing:');
      expect({ protocol: eventStore.protocol, host: eventStore.hostname, port: eventStore.port }).toEqual({ protocol: 'esdb:', host: 'eventstore', port: '2113' });

      const database = new URL(interpolate(env.DATABASE_URL ?? 'missing:'));
      const postgres = environmentOf('postgres');
      expect({ host: database.hostname, user: database.username, database: database.pathname }).toEqual({
        host: 'postgres',
        user: postgres.POSTGRES_USER,
        database: `/${app}`,
      });
      expect(env.DATABASE_URL).toContain('${POSTGRES_PASSWORD');
    });

    it('listens on all interfaces of its container, on the port compose publishes', () => {
      const config = loadConfig(app, filledEnvironmentOf(app));
      expect(config.HOST).toBe('0.0.0.0');
      const published = (services[app]!.ports ?? []).map((port) => (typeof port === 'string' ? Number(port.split(':').pop()) : port.target));
      expect(published).toContain(config.port);
    });

    it("passes the app's own config validation once the placeholders are filled in", () => {
      expect(() => loadConfig(app, filledEnvironmentOf(app))).not.toThrow();
    });
  });

  it('gives every app a database that the PostgreSQL init script creates, and no two apps the same one', () => {
    const init = readFileSync(join(root, 'deploy', 'docker', 'postgres-init.sql'), 'utf8');
    const created = [...init.matchAll(/^\s*CREATE DATABASE (\w+)/gim)].map((match) => match[1]);
    const used = APPS.map((app) => new URL(filledEnvironmentOf(app).DATABASE_URL!).pathname.slice(1));
    expect(new Set(used).size).toBe(APPS.length);
    expect(created).toEqual(expect.arrayContaining(used));
    const mounts = (services.postgres!.volumes ?? []).map((volume) => (typeof volume === 'string' ? volume : `${volume.source}:${volume.target}`));
    expect(mounts).toContainEqual(expect.stringMatching(/^\.\/deploy\/docker\/postgres-init\.sql:\/docker-entrypoint-initdb\.d\//));
  });

  it('gives the two parties their own audit signing keys from the environment, and each accepts a real one', () => {
    expect(environmentOf('disclosure').AUDIT_SIGNING_KEY).toMatch(/^\$\{AUDIT_SIGNING_KEY:\?[^}]*\}$/);
    expect(environmentOf('receipts').AUDIT_SIGNING_KEY).toMatch(/^\$\{RECEIPTS_AUDIT_SIGNING_KEY:\?[^}]*\}$/);
    expect(environmentOf('roster').AUDIT_SIGNING_KEY).toBeUndefined();
    expect(environmentOf('consent').AUDIT_SIGNING_KEY).toBeUndefined();
    const [municipalityKey, welfareAreaKey] = [generateSignerKey('compose-municipality'), generateSignerKey('compose-welfare-area')];
    const peers = { disclosure: verifierKeyOf(welfareAreaKey), receipts: verifierKeyOf(municipalityKey) };
    const disclosure = loadConfig('disclosure', { ...filledEnvironmentOf('disclosure'), AUDIT_SIGNING_KEY: municipalityKey, PEER_AUDIT_KEY: peers.disclosure });
    expect(auditLogSettings(disclosure)).toMatchObject({ origin: 'silta.disclosure/compose', peer: { origin: 'silta.receipts/compose', verifierKey: peers.disclosure, url: 'http://receipts:3004' } });
    const receipts = loadConfig('receipts', { ...filledEnvironmentOf('receipts'), AUDIT_SIGNING_KEY: welfareAreaKey, PEER_AUDIT_KEY: peers.receipts });
    expect(auditLogSettings(receipts)).toMatchObject({ origin: 'silta.receipts/compose', peer: { origin: 'silta.disclosure/compose', verifierKey: peers.receipts, url: 'http://disclosure:3003' } });
  });

  it("points disclosure's ROSTER_URL at the roster service's port", () => {
    const rosterUrl = new URL(environmentOf('disclosure').ROSTER_URL ?? 'missing:');
    const rosterPort = loadConfig('roster', filledEnvironmentOf('roster')).port;
    expect({ host: rosterUrl.hostname, port: Number(rosterUrl.port) }).toEqual({ host: 'roster', port: rosterPort });
  });
});
