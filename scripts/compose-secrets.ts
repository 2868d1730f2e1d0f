// npm run compose:secrets: the one-time generation of what docker-compose.yml mounts, into
// deploy/docker/secrets/ (git ignores everything there). Creates only what is missing, so running
// it again never replaces a key or password in use; delete a file to have it made anew. An audit
// signing key from before keys were named after their log's origin is renamed, keeping its key.
//   secrets (each mounted only into the services that need it):
//     kafka-broker-keystore                     the broker's TLS key and certificate (PEM), from
//     kafka-ca.key                              a CA made here (kept for reissuing; mounted nowhere)
//     kafka-<principal>-password                SCRAM passwords: admin, broker, controller, roster, consent, disclosure, receipts
//     municipality-internal-token-secret        roster, disclosure and consent
//     municipality-audit-signing-key            disclosure (named after disclosure's AUDIT_ORIGIN in docker-compose.yml)
//     municipality-postgres-password            the municipality's PostgreSQL
//     <roster|consent|disclosure>-database-url  each municipality app's own database
//     welfare-area-audit-signing-key            receipts (named after receipts' AUDIT_ORIGIN)
//     welfare-area-postgres-password            the welfare area's PostgreSQL
//     receipts-database-url                     receipts' database
//     web-session-key                           the web app's cookie key (WEB_SESSION_KEY), the municipality's web only
//   public material (compose configs):
//     kafka-ca.pem, municipality-audit-verifier-key, welfare-area-audit-verifier-key,
//     municipality-trusted-issuers.yaml, welfare-area-trusted-issuers.yaml (starter trust files:
//     the local issuers' public keys inline, so `npm start -- --issuers-only` and `npm run token`
//     work against the stack; replace them with your identity providers' entries)
// Needs openssl (for the broker's certificate).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dump, load } from 'js-yaml';
import { generateSignerKey, verifierKeyOf } from '@silta/transparency';
import { ISSUER_NAMES, publicJwkOf, trustFileFor, type IssuerName, type IssuerPublicJwk } from './local-issuers';
import { loadLocalSecrets, renamedSignerKey, signerKeyName } from './local-secrets';

export const SECRETS_DIR = resolve(__dirname, '..', 'deploy', 'docker', 'secrets');

/** The broker's SCRAM principals (the node's own, admin for the set-up, one per service) and its controller user. */
export const KAFKA_PRINCIPALS = ['admin', 'broker', 'controller', 'roster', 'consent', 'disclosure', 'receipts'] as const;
const MUNICIPALITY_APPS = ['roster', 'consent', 'disclosure'] as const;

/** Each party's audit signing key, its public verifier key, and the service whose log it signs. */
const AUDIT_KEY_FILES = [
  { signing: 'municipality-audit-signing-key', verifier: 'municipality-audit-verifier-key', service: 'disclosure' },
  { signing: 'welfare-area-audit-signing-key', verifier: 'welfare-area-audit-verifier-key', service: 'receipts' },
] as const;

/** The uid the containers read their secrets as: node in the apps' image, appuser in apache/kafka. */
const CONTAINER_UID = 1000;

interface Generated {
  readonly secret: boolean;
  readonly make: (dir: string) => string;
}

/** Every file the generator writes, by name; docker-compose.yml mounts them (test/compose.unit.spec.ts checks that each exists here). */
export function composeFiles(dataDir: string = defaultDataDir()): Record<string, Generated> {
  const password = () => randomBytes(24).toString('base64url'); // 32 characters of [A-Za-z0-9_-]
  const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8').trim();
  const databaseUrl = (user: string, host: string, database: string, passwordFile: string) => (dir: string) => `postgres://${user}:${read(dir, passwordFile)}@${host}:5432/${database}`;
  const issuerKeys = () => {
    const keys = loadLocalSecrets({ DATA_DIR: dataDir }).issuerKeys;
    return Object.fromEntries(ISSUER_NAMES.map((name) => [name, publicJwkOf(keys[name])])) as Record<IssuerName, IssuerPublicJwk>;
  };
  const trustFile = (party: 'municipality' | 'welfare-area') => () =>
    `# The issuers the ${party === 'municipality' ? "municipality's apps" : "welfare area's receipts"} accept (TRUSTED_ISSUERS). A starter: the local\n` +
    `# issuers of npm start, with their public keys inline. Replace them with your identity providers.\n` +
    dump(trustFileFor(party, {}, issuerKeys()), { lineWidth: 200 });
  return {
    ...Object.fromEntries(KAFKA_PRINCIPALS.map((principal) => [`kafka-${principal}-password`, { secret: true, make: password }])),
    'kafka-ca.key': { secret: true, make: () => openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']) },
    'kafka-ca.pem': { secret: false, make: (dir) => caCertificate(dir) },
    'kafka-broker-keystore': { secret: true, make: (dir) => brokerKeystore(dir) },
    'municipality-internal-token-secret': { secret: true, make: () => randomBytes(32).toString('base64url') },
    'municipality-audit-signing-key': { secret: true, make: () => generateSignerKey(composeAuditOrigin('disclosure')) },
    'municipality-audit-verifier-key': { secret: false, make: (dir) => verifierKeyOf(read(dir, 'municipality-audit-signing-key')) },
    'municipality-postgres-password': { secret: true, make: () => randomBytes(16).toString('hex') },
    ...Object.fromEntries(MUNICIPALITY_APPS.map((app) => [`${app}-database-url`, { secret: true, make: databaseUrl('silta', 'municipality-postgres', app, 'municipality-postgres-password') }])),
    'welfare-area-audit-signing-key': { secret: true, make: () => generateSignerKey(composeAuditOrigin('receipts')) },
    'welfare-area-audit-verifier-key': { secret: false, make: (dir) => verifierKeyOf(read(dir, 'welfare-area-audit-signing-key')) },
    'welfare-area-postgres-password': { secret: true, make: () => randomBytes(16).toString('hex') },
    'receipts-database-url': { secret: true, make: databaseUrl('receipts', 'welfare-area-postgres', 'receipts', 'welfare-area-postgres-password') },
    // 32 random bytes, base64url: the web app's config refuses anything else. Replacing it signs everyone out.
    'web-session-key': { secret: true, make: () => randomBytes(32).toString('base64url') },
    'municipality-trusted-issuers.yaml': { secret: false, make: trustFile('municipality') },
    'welfare-area-trusted-issuers.yaml': { secret: false, make: trustFile('welfare-area') },
  };
}

function openssl(args: string[], input?: string): string {
  const run = spawnSync('openssl', args, { input, encoding: 'utf8' });
  if (run.error) throw new Error(`openssl is needed for the broker's certificate: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr.trim()}`);
  return run.stdout;
}

/** A CA for the broker's certificate, made from kafka-ca.key. */
function caCertificate(dir: string): string {
  return openssl(['req', '-x509', '-new', '-key', join(dir, 'kafka-ca.key'), '-sha256', '-days', '3650', '-subj', '/O=Silta compose/CN=Silta compose Kafka CA',
    '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
}

/** Kafka's PEM key store: the broker's (PKCS#8, unencrypted) key, its certificate for the host name `kafka`, and the CA. */
function brokerKeystore(dir: string): string {
  const work = join(dir, `.broker-${process.pid}`);
  mkdirSync(work, { mode: 0o700 });
  try {
    const key = openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    writeFileSync(join(work, 'broker.key'), key, { mode: 0o600 });
    writeFileSync(join(work, 'broker.ext'), ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth,clientAuth', 'subjectAltName=DNS:kafka,DNS:localhost,IP:127.0.0.1'].join('\n'));
    const csr = openssl(['req', '-new', '-key', join(work, 'broker.key'), '-subj', '/O=Silta compose/CN=kafka']);
    writeFileSync(join(work, 'broker.csr'), csr);
    const certificate = openssl(['x509', '-req', '-in', join(work, 'broker.csr'), '-CA', join(dir, 'kafka-ca.pem'), '-CAkey', join(dir, 'kafka-ca.key'), '-CAcreateserial', '-CAserial', join(work, 'ca.srl'), '-sha256', '-days', '397', '-extfile', join(work, 'broker.ext')]);
    return key + certificate + readFileSync(join(dir, 'kafka-ca.pem'), 'utf8');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** npm start's data dir, whose secrets file holds the local issuers' keys (the starter trust files name their public halves). */
function defaultDataDir(): string {
  return resolve(process.env.DATA_DIR || join(__dirname, '..', 'data'));
}

/** A service's AUDIT_ORIGIN in docker-compose.yml: C2SP names a log's signer key after it. */
export function composeAuditOrigin(service: 'disclosure' | 'receipts'): string {
  const compose = load(readFileSync(resolve(__dirname, '..', 'docker-compose.yml'), 'utf8')) as { services: Record<string, { environment?: Record<string, unknown> }> };
  const origin = compose.services[service]?.environment?.AUDIT_ORIGIN;
  if (typeof origin !== 'string' || !origin) throw new Error(`docker-compose.yml: services.${service}.environment.AUDIT_ORIGIN is not set; its audit signing key is named after it`);
  return origin;
}

/**
 * Writes what is missing, in order (later files derive from earlier ones), after renaming any audit signing key not
 * named after its log's origin; answers the names written and a note for each key renamed.
 */
export function generateComposeFiles(dir: string = SECRETS_DIR, dataDir: string = defaultDataDir()): { written: string[]; notes: string[] } {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, '.gitignore'))) writeFileSync(join(dir, '.gitignore'), '*\n!.gitignore\n');
  const notes = nameAuditKeysAfterOrigins(dir);
  const written: string[] = [];
  for (const [name, { secret, make }] of Object.entries(composeFiles(dataDir))) {
    const file = join(dir, name);
    if (existsSync(file)) continue;
    writeComposeFile(file, make(dir), secret);
    written.push(name);
  }
  return { written, notes };
}

/**
 * Renames each existing audit signing key whose name is not its log's origin (files from before were
 * `silta-municipality` and `silta-welfare-area`), keeping its seed so the log keeps its key; its verifier key file
 * is removed, so generateComposeFiles writes it anew.
 */
function nameAuditKeysAfterOrigins(dir: string): string[] {
  const notes: string[] = [];
  for (const { signing, verifier, service } of AUDIT_KEY_FILES) {
    const file = join(dir, signing);
    if (!existsSync(file)) continue;
    const signerKey = readFileSync(file, 'utf8').trim();
    const origin = composeAuditOrigin(service);
    if (signerKeyName(signerKey) === origin) continue;
    const renamed = renamedSignerKey(signerKey, origin);
    writeComposeFile(file, renamed, true);
    rmSync(join(dir, verifier), { force: true });
    notes.push(
      `${signing} renamed from "${signerKeyName(signerKey)}" to ${service}'s origin "${origin}" (C2SP); same Ed25519 key, new verifier key ` +
        `${verifierKeyOf(renamed)}. Checkpoints signed before the rename verify with the old one: ${verifierKeyOf(signerKey)}`,
    );
  }
  return notes;
}

/** Writes one file atomically, mode 0600 for a secret and 0644 for public material. */
function writeComposeFile(file: string, content: string, secret: boolean): void {
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, content.endsWith('\n') ? content : `${content}\n`, { mode: secret ? 0o600 : 0o644 });
  // Compose mounts the files as they are: the containers read them as uid 1000 (root can hand them over).
  if (process.getuid?.() === 0) chownSync(draft, CONTAINER_UID, CONTAINER_UID);
  chmodSync(draft, secret ? 0o600 : 0o644);
  renameSync(draft, file);
}

if (require.main === module) {
  try {
    const { written, notes } = generateComposeFiles();
    for (const note of notes) console.log(note);
    console.log(written.length ? `wrote ${written.length} files to ${SECRETS_DIR}:\n  ${written.join('\n  ')}` : `nothing missing in ${SECRETS_DIR}`);
    if (process.getuid && process.getuid() !== 0 && process.getuid() !== CONTAINER_UID) {
      console.log(`The containers read the secrets as uid ${CONTAINER_UID}, and compose mounts them with your owner and mode 0600: hand them over once with\n  sudo chown ${CONTAINER_UID} ${SECRETS_DIR}/*`);
    }
  } catch (error) {
    console.error(`compose:secrets: ${(error as Error).message}`);
    process.exit(1);
  }
}
