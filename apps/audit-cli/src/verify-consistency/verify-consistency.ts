/**
 * `silta-audit verify-consistency`: offline, checks that an older signed checkpoint (say the one
 * the other party kept) is a prefix of a newer one, given the RFC 9162 consistency proof the
 * service returns. Two checkpoints from forked logs cannot pass, whatever proof is offered.
 */
import { TransparencyError, verifyConsistency } from '@silta/transparency';
import type { VerifiedCheckpoint } from '../checkpoints';
import { AuditFailure } from '../failures';
import { readTrustedJson } from '../trusted-json';

/** Accepts a JSON array of base64 hashes or an object with such a `proof` array, as strict I-JSON. */
export function parseConsistencyProof(text: string, file: string): Uint8Array[] {
  const json = readTrustedJson(text, `proof ${file}`, 'consistency_proof_invalid');
  const list = Array.isArray(json) ? json : (json as { proof?: unknown } | null)?.proof;
  if (!Array.isArray(list)) throw new AuditFailure('consistency_proof_invalid', `proof ${file} is not an array of base64 hashes`);
  return list.map((text: unknown, i) => {
    const hash = typeof text === 'string' ? Buffer.from(text, 'base64') : Buffer.alloc(0);
    if (hash.length !== 32 || hash.toString('base64') !== text) {
      throw new AuditFailure('consistency_proof_invalid', `proof ${file}: [${i}] is not a base64 32-byte hash`);
    }
    return new Uint8Array(hash);
  });
}

export function checkConsistency(older: VerifiedCheckpoint, newer: VerifiedCheckpoint, proof: readonly Uint8Array[]): void {
  if (older.origin !== newer.origin) {
    throw new AuditFailure('consistency_proof_invalid', `${older.label} is for ${older.origin} but ${newer.label} is for ${newer.origin}`);
  }
  try {
    verifyConsistency(older.size, newer.size, older.root, newer.root, proof);
  } catch (error) {
    if (error instanceof TransparencyError) {
      throw new AuditFailure(
        'consistency_proof_invalid',
        `${older.label} (size ${older.size}) is not a prefix of ${newer.label} (size ${newer.size}): ${error.message}`,
      );
    }
    throw error;
  }
}
