/** Checks of command-line values shared by the commands: a wrong value is a usage error (exit 2). */
import { readFileSync } from 'node:fs';
import { TransparencyError, parseVerifierKey } from '@silta/transparency';
import { UsageError } from './failures';

/** The verifier key, checked before any work so a typo is a usage error, not a failed log. */
export function verifierKey(value: string | undefined): string {
  const key = required(value, '--key <verifier key>');
  try {
    parseVerifierKey(key);
  } catch (error) {
    if (error instanceof TransparencyError) throw new UsageError(`--key: ${error.message}`);
    throw error;
  }
  return key;
}

export function required(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new UsageError(`${what} is required`);
  return value;
}

export function positiveInteger(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number ≥ 1, got "${value}"`);
  return n;
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
}
