import { canonicalJsonHash } from '@silta/transparency';

/**
 * Lowercase hex SHA-256 of the RFC 8785 canonical JSON of released data: what a disclosure answer
 * carries and what its receipt acknowledges, so the receiver can recompute and compare.
 */
export function dataHashOf(data: unknown): string {
  return canonicalJsonHash(data);
}
