import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateSignerKey, verifierKeyOf } from '@silta/transparency';

/** The secrets the apps need; for local runs only, never committed. */
export interface LocalSecrets {
  readonly JWT_SECRET: string;
  readonly INTERNAL_TOKEN_SECRET: string;
}

/** What the secrets file holds: the shared secrets and disclosure's audit signing key. */
interface StoredSecrets extends LocalSecrets {
  /** Disclosure's Ed25519 signer key for audit-log checkpoints (C2SP `PRIVATE+KEY+…`). */
  readonly AUDIT_SIGNING_KEY: string;
}

const NAMES = ['JWT_SECRET', 'INTERNAL_TOKEN_SECRET'] as const;
const AUDIT_KEY_NAME = 'silta-local-audit';

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
 * Disclosure's audit signing key: AUDIT_SIGNING_KEY from the environment, else the one in the
 * secrets file (generated as `silta-local-audit` the first time). A file from before the key
 * existed gets one added and keeps it: checkpoints signed earlier stay verifiable with it.
 */
export function loadLocalAuditSigningKey(env: NodeJS.ProcessEnv = process.env): string {
  return env.AUDIT_SIGNING_KEY || readOrCreate(localSecretsFile(env)).AUDIT_SIGNING_KEY;
}

function readOrCreate(file: string): StoredSecrets {
  const fresh: StoredSecrets = { JWT_SECRET: randomSecret(), INTERNAL_TOKEN_SECRET: randomSecret(), AUDIT_SIGNING_KEY: generateSignerKey(AUDIT_KEY_NAME) };
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
  if (stored.AUDIT_SIGNING_KEY === undefined) stored = addAuditSigningKey(file, stored);
  for (const name of ['JWT_SECRET', 'INTERNAL_TOKEN_SECRET'] as const) {
    if (typeof stored[name] !== 'string' || stored[name].length < 32) {
      throw new Error(`${file}: ${name} is missing or shorter than 32 characters; delete the file to get new secrets`);
    }
  }
  try {
    verifierKeyOf(String(stored.AUDIT_SIGNING_KEY));
  } catch (error) {
    throw new Error(`${file}: AUDIT_SIGNING_KEY is not a C2SP signer key (${(error as Error).message}); remove it from the file to get a new one`);
  }
  return stored as StoredSecrets;
}

/** Adds a signer key to an older secrets file, replacing the file atomically; answers what the file then holds. */
function addAuditSigningKey(file: string, stored: Partial<StoredSecrets>): Partial<StoredSecrets> {
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, `${JSON.stringify({ ...stored, AUDIT_SIGNING_KEY: generateSignerKey(AUDIT_KEY_NAME) }, null, 2)}\n`, { mode: 0o600 });
  renameSync(draft, file);
  // Re-read: of two commands upgrading the file at once, the last rename wins for both.
  return JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredSecrets>;
}

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
