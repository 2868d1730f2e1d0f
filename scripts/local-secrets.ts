import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatSignerKey, generateSignerKey, parseVerifierKey, verifierKeyOf } from '@silta/transparency';
import { checkIssuerKey, generateIssuerKey, ISSUER_NAMES, type IssuerName, type IssuerPrivateJwk } from './local-issuers';
import { auditOrigins } from './parties';

/**
 * Every secret of a local run, for local runs only, never committed. Each belongs to one party;
 * `npm start` hands each process only its own (scripts/parties.ts).
 */
export interface LocalSecrets {
  /** The municipality's: roster, disclosure and consent sign and check their service-to-service calls with it. */
  readonly INTERNAL_TOKEN_SECRET: string;
  /** Each party's Ed25519 signer key for its audit log's checkpoints (C2SP `PRIVATE+KEY+…`). */
  readonly auditSigningKeys: { readonly disclosure: string; readonly receipts: string };
  /** Each local identity provider's private signing key (an Ed25519 JWK with its kid). */
  readonly issuerKeys: Readonly<Record<IssuerName, IssuerPrivateJwk>>;
  /** The web app's key for its session and sign-in cookies (32 random bytes, base64url). */
  readonly webSessionKey: string;
  /** What loading changed that the user should hear of: an audit key renamed after its log's origin. */
  readonly notes: readonly string[];
}

/** What the secrets file holds. An older file may also hold JWT_SECRET, which nothing reads any more. */
interface StoredSecrets {
  readonly INTERNAL_TOKEN_SECRET: string;
  /** Disclosure's (the municipality's) audit signer key. */
  readonly AUDIT_SIGNING_KEY: string;
  /** The receipts service's (the welfare area's) audit signer key. */
  readonly RECEIPTS_AUDIT_SIGNING_KEY: string;
  /** The local issuers' private JWKs, by issuer name. */
  readonly ISSUER_KEYS: Record<IssuerName, IssuerPrivateJwk>;
  /** The web app's WEB_SESSION_KEY. */
  readonly WEB_SESSION_KEY: string;
}

/** Each party's audit signer key in the file, and the log it signs: the key is named after that log's origin. */
const AUDIT_KEYS = { AUDIT_SIGNING_KEY: 'disclosure', RECEIPTS_AUDIT_SIGNING_KEY: 'receipts' } as const;
type AuditKey = keyof typeof AUDIT_KEYS;
type Origins = ReturnType<typeof auditOrigins>;

/** `<DATA_DIR>/.local-secrets.json`; DATA_DIR defaults to `./data`, which git ignores. */
export function localSecretsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(resolve(env.DATA_DIR || './data'), '.local-secrets.json');
}

/**
 * The local secrets from the secrets file, which is created (mode 0600) with fresh values the
 * first time it is needed; a file from before a secret existed gets it added and keeps the rest
 * (checkpoints signed earlier stay verifiable). Each audit key is named after its log's origin
 * (auditOrigins); one named otherwise is renamed in the file, keeping its Ed25519 key, and a note
 * says so. INTERNAL_TOKEN_SECRET, AUDIT_SIGNING_KEY (disclosure's), RECEIPTS_AUDIT_SIGNING_KEY and WEB_SESSION_KEY
 * in the environment win over the file.
 */
export function loadLocalSecrets(env: NodeJS.ProcessEnv = process.env): LocalSecrets {
  const file = localSecretsFile(env);
  const origins = auditOrigins(env);
  const { stored, notes } = nameAuditKeysAfterOrigins(file, readOrCreate(file, origins), origins);
  return {
    INTERNAL_TOKEN_SECRET: env.INTERNAL_TOKEN_SECRET || stored.INTERNAL_TOKEN_SECRET,
    auditSigningKeys: {
      disclosure: env.AUDIT_SIGNING_KEY || stored.AUDIT_SIGNING_KEY,
      receipts: env.RECEIPTS_AUDIT_SIGNING_KEY || stored.RECEIPTS_AUDIT_SIGNING_KEY,
    },
    issuerKeys: stored.ISSUER_KEYS,
    webSessionKey: env.WEB_SESSION_KEY || stored.WEB_SESSION_KEY,
    notes,
  };
}

/** The same Ed25519 key under another name (the name enters the key hash, so its verifier key changes). */
export function renamedSignerKey(signerKey: string, name: string): string {
  verifierKeyOf(signerKey); // refuses a malformed key before its material is read
  // PRIVATE+KEY+<name>+<hash>+<base64(0x01 || seed)>: a key name holds no "+", base64 may.
  const seed = Buffer.from(signerKey.split('+').slice(4).join('+'), 'base64').subarray(1);
  return formatSignerKey(name, new Uint8Array(seed));
}

/** The name a signer key carries. */
export function signerKeyName(signerKey: string): string {
  return parseVerifierKey(verifierKeyOf(signerKey)).name;
}

/**
 * Renames, in the file, each audit key not named after its log's origin (C2SP; files from before
 * were `silta-local-audit` and `silta-local-receipts`), keeping its seed so the log keeps its key.
 */
function nameAuditKeysAfterOrigins(file: string, stored: StoredSecrets, origins: Origins): { stored: StoredSecrets; notes: string[] } {
  const misnamed = (Object.keys(AUDIT_KEYS) as AuditKey[]).filter((name) => signerKeyName(stored[name]) !== origins[AUDIT_KEYS[name]]);
  if (misnamed.length === 0) return { stored, notes: [] };
  const renamed = { ...stored, ...Object.fromEntries(misnamed.map((name) => [name, renamedSignerKey(stored[name], origins[AUDIT_KEYS[name]])])) };
  const notes = misnamed.map(
    (name) =>
      `${file}: ${name} renamed from "${signerKeyName(stored[name])}" to its log's origin "${origins[AUDIT_KEYS[name]]}" (C2SP); same Ed25519 key, ` +
      `new verifier key ${verifierKeyOf(renamed[name])}. Checkpoints signed before the rename verify with the old one: ${verifierKeyOf(stored[name])}`,
  );
  return { stored: replaceFile(file, renamed) as StoredSecrets, notes };
}

function fresh(origins: Origins): StoredSecrets {
  return {
    INTERNAL_TOKEN_SECRET: randomSecret(),
    AUDIT_SIGNING_KEY: generateSignerKey(origins.disclosure),
    RECEIPTS_AUDIT_SIGNING_KEY: generateSignerKey(origins.receipts),
    ISSUER_KEYS: Object.fromEntries(ISSUER_NAMES.map((name) => [name, generateIssuerKey()])) as Record<IssuerName, IssuerPrivateJwk>,
    WEB_SESSION_KEY: randomSecret(),
  };
}

function readOrCreate(file: string, origins: Origins): StoredSecrets {
  mkdirSync(resolve(file, '..'), { recursive: true });
  // Written aside, then hard-linked into place: link never overwrites and is atomic, so two
  // commands racing on a fresh checkout both end up with the first one's complete file.
  const draft = `${file}.${process.pid}.tmp`;
  const created = fresh(origins);
  writeFileSync(draft, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  try {
    linkSync(draft, file);
    return created;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  let stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredSecrets>;
  if (missing(stored)) stored = addMissing(file, stored, origins);
  if (typeof stored.INTERNAL_TOKEN_SECRET !== 'string' || stored.INTERNAL_TOKEN_SECRET.length < 32) {
    throw new Error(`${file}: INTERNAL_TOKEN_SECRET is shorter than 32 characters; remove it from the file to get a new one`);
  }
  if (typeof stored.WEB_SESSION_KEY !== 'string' || Buffer.from(stored.WEB_SESSION_KEY, 'base64url').length !== 32) {
    throw new Error(`${file}: WEB_SESSION_KEY is not 32 bytes of base64url; remove it from the file to get a new one`);
  }
  for (const name of Object.keys(AUDIT_KEYS) as Array<keyof typeof AUDIT_KEYS>) {
    try {
      verifierKeyOf(String(stored[name]));
    } catch (error) {
      throw new Error(`${file}: ${name} is not a C2SP signer key (${(error as Error).message}); remove it from the file to get a new one`);
    }
  }
  for (const name of ISSUER_NAMES) {
    try {
      checkIssuerKey(stored.ISSUER_KEYS![name]);
    } catch (error) {
      throw new Error(`${file}: ISSUER_KEYS.${name} is unusable (${(error as Error).message}); remove it from the file to get a new one`);
    }
  }
  return stored as StoredSecrets;
}

function missing(stored: Partial<StoredSecrets>): boolean {
  return (
    stored.INTERNAL_TOKEN_SECRET === undefined ||
    Object.keys(AUDIT_KEYS).some((name) => stored[name as keyof typeof AUDIT_KEYS] === undefined) ||
    ISSUER_NAMES.some((name) => stored.ISSUER_KEYS?.[name] === undefined) ||
    stored.WEB_SESSION_KEY === undefined
  );
}

/** Adds what an older secrets file lacks, replacing the file atomically; answers what the file then holds. */
function addMissing(file: string, stored: Partial<StoredSecrets>, origins: Origins): Partial<StoredSecrets> {
  const generated = fresh(origins);
  const completed: StoredSecrets = {
    ...stored,
    INTERNAL_TOKEN_SECRET: stored.INTERNAL_TOKEN_SECRET ?? generated.INTERNAL_TOKEN_SECRET,
    AUDIT_SIGNING_KEY: stored.AUDIT_SIGNING_KEY ?? generated.AUDIT_SIGNING_KEY,
    RECEIPTS_AUDIT_SIGNING_KEY: stored.RECEIPTS_AUDIT_SIGNING_KEY ?? generated.RECEIPTS_AUDIT_SIGNING_KEY,
    ISSUER_KEYS: { ...generated.ISSUER_KEYS, ...stored.ISSUER_KEYS },
    WEB_SESSION_KEY: stored.WEB_SESSION_KEY ?? generated.WEB_SESSION_KEY,
  };
  return replaceFile(file, completed);
}

/** Replaces the file atomically (mode 0600); answers what it then holds. */
function replaceFile(file: string, secrets: StoredSecrets): Partial<StoredSecrets> {
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  renameSync(draft, file);
  // Re-read: of two commands upgrading the file at once, the last rename wins for both.
  return JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredSecrets>;
}

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
