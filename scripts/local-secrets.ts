import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The two secrets every app needs; for local runs only, never committed. */
export interface LocalSecrets {
  readonly JWT_SECRET: string;
  readonly INTERNAL_TOKEN_SECRET: string;
}

const NAMES = ['JWT_SECRET', 'INTERNAL_TOKEN_SECRET'] as const;

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

function readOrCreate(file: string): LocalSecrets {
  const fresh: LocalSecrets = { JWT_SECRET: randomSecret(), INTERNAL_TOKEN_SECRET: randomSecret() };
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
  const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>;
  for (const name of NAMES) {
    if (typeof stored[name] !== 'string' || stored[name].length < 32) {
      throw new Error(`${file}: ${name} is missing or shorter than 32 characters; delete the file to get new secrets`);
    }
  }
  return stored as LocalSecrets;
}

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
