/** Checks of command-line values shared by the commands: a wrong value is a usage error (exit 2). */
import { readFileSync } from 'node:fs';
import { TransparencyError, parseCosignerKey, parseVerifierKey } from '@silta/transparency';
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

/** A witness key for `verify`: a cosigner key (type 0x04), or a note key (type 0x01) for cosignatures from before tlog-cosignature. */
export function witnessKey(value: string): string {
  try {
    parseVerifierKey(value);
    return value;
  } catch {
    return cosignerKey(value);
  }
}

/** A witness's cosigner key (C2SP tlog-cosignature/v1, signature type 0x04), checked up front. */
export function cosignerKey(value: string): string {
  try {
    parseCosignerKey(value);
  } catch (error) {
    if (error instanceof TransparencyError) throw new UsageError(`--witness-key: ${error.message} (GET /v1/audit/log/key answers the witness's cosignerKey)`);
    throw error;
  }
  return value;
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
