import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateSignerKey, verifierKeyOf } from '@silta/transparency';

/** The secrets the apps need; for local runs only, never committed. */
export interface LocalSecrets {
  readonly JWT_SECRET: string;
  readonly INTERNAL_TOKEN_SECRET: string;
}

/** What the secrets file holds: the shared secrets and the two parties' audit signing keys. */
interface StoredSecrets extends LocalSecrets {
  /** Disclosure's (the municipality's) Ed25519 signer key for audit-log checkpoints (C2SP `PRIVATE+KEY+…`). */
  readonly AUDIT_SIGNING_KEY: string;
  /** The receipts service's (the welfare area's) signer key for its own audit log. */
  readonly RECEIPTS_AUDIT_SIGNING_KEY: string;
}

const NAMES = ['JWT_SECRET', 'INTERNAL_TOKEN_SECRET'] as const;
/** Each party's signer key in the file, and the key name it is generated with. */
const AUDIT_KEYS = { AUDIT_SIGNING_KEY: 'silta-local-audit', RECEIPTS_AUDIT_SIGNING_KEY: 'silta-local-receipts' } as const;

/** `<DATA_DIR>/.local-secrets.json`; DATA_DIR defaults to `./data`, which git ignores. */
export function localSecretsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(resolve(env.DATA_DIR || './data'), '.local-secrets.json');
}

/**
 * The local secrets: each from the environment when set there, else from the secrets file, which
 * is created (mode 0600) with fresh random values the first time it is needed.
 */
export function loadLocalSecrets(env: NodeJS.ProcessEnv = process.env): LocalSecrets {
  if (NAMES.every((name) => env[name])) return { JWT_SECRET: env.JWT_SECRET!, INTERNAL_TOKEN_SECRET: env.INTERNAL_TOKEN_SECRET! };
  const stored = readOrCreate(localSecretsFile(env));
  return { JWT_SECRET: env.JWT_SECRET || stored.JWT_SECRET, INTERNAL_TOKEN_SECRET: env.INTERNAL_TOKEN_SECRET || stored.INTERNAL_TOKEN_SECRET };
}

/**
 * The two parties' audit signing keys: disclosure's from AUDIT_SIGNING_KEY, receipts' from
 * RECEIPTS_AUDIT_SIGNING_KEY in the environment, else the ones in the secrets file (generated the
 * first time). A file from before a key existed gets it added and keeps it: checkpoints signed
 * earlier stay verifiable.
 */
export function loadLocalAuditSigningKeys(env: NodeJS.ProcessEnv = process.env): { disclosure: string; receipts: string } {
  const stored = () => readOrCreate(localSecretsFile(env));
  return {
    disclosure: env.AUDIT_SIGNING_KEY || stored().AUDIT_SIGNING_KEY,
    receipts: env.RECEIPTS_AUDIT_SIGNING_KEY || stored().RECEIPTS_AUDIT_SIGNING_KEY,
  };
}

function readOrCreate(file: string): StoredSecrets {
  const fresh: StoredSecrets = {
    JWT_SECRET: randomSecret(),
    INTERNAL_TOKEN_SECRET: randomSecret(),
    AUDIT_SIGNING_KEY: generateSignerKey(AUDIT_KEYS.AUDIT_SIGNING_KEY),
    RECEIPTS_AUDIT_SIGNING_KEY: generateSignerKey(AUDIT_KEYS.RECEIPTS_AUDIT_SIGNING_KEY),
  };
  mkdirSync(resolve(file, '..'), { recursive: true });
  // Written aside, then hard-linked into place: link never overwrites and is atomic, so two
  // commands racing on a fresh checkout both end up with the first one's complete file.
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600 });
  try {
    linkSync(draft, file);
    return fresh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  let stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredSecrets>;
  if (Object.keys(AUDIT_KEYS).some((name) => stored[name as keyof typeof AUDIT_KEYS] === undefined)) stored = addAuditSigningKeys(file, stored);
  for (const name of ['JWT_SECRET', 'INTERNAL_TOKEN_SECRET'] as const) {
    if (typeof stored[name] !== 'string' || stored[name].length < 32) {
      throw new Error(`${file}: ${name} is missing or shorter than 32 characters; delete the file to get new secrets`);
    }
  }
  for (const name of Object.keys(AUDIT_KEYS) as Array<keyof typeof AUDIT_KEYS>) {
    try {
      verifierKeyOf(String(stored[name]));
    } catch (error) {
      throw new Error(`${file}: ${name} is not a C2SP signer key (${(error as Error).message}); remove it from the file to get a new one`);
    }
  }
  return stored as StoredSecrets;
}

/** Adds the missing signer keys to an older secrets file, replacing the file atomically; answers what the file then holds. */
function addAuditSigningKeys(file: string, stored: Partial<StoredSecrets>): Partial<StoredSecrets> {
  const draft = `${file}.${process.pid}.tmp`;
  const added = Object.fromEntries(Object.entries(AUDIT_KEYS).map(([name, keyName]) => [name, stored[name as keyof typeof AUDIT_KEYS] ?? generateSignerKey(keyName)]));
  writeFileSync(draft, `${JSON.stringify({ ...stored, ...added }, null, 2)}\n`, { mode: 0o600 });
  renameSync(draft, file);
  // Re-read: of two commands upgrading the file at once, the last rename wins for both.
  return JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredSecrets>;
}

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
