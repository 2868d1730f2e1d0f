import { createHash } from 'node:crypto';
import { canonicalJson } from '@silta/transparency';

/**
 * Lowercase hex SHA-256 of the RFC 8785 canonical JSON of released data: what a disclosure answer
 * carries and what its receipt acknowledges, so the receiver can recompute and compare.
 */
export function dataHashOf(data: unknown): string {
  return createHash('sha256').update(canonicalJson(data), 'utf8').digest('hex');
}
