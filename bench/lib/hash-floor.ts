// The hashing floor a log verifier cannot beat: SHA-256 of each leaf's bytes, nothing else.
import { createHash } from 'node:crypto';

/**
 * SHA-256(0x00 || bytes) `total` times in one tight loop over `sample` (cycled), as node:crypto's
 * createHash, the way a leaf hash is computed; returns leaves per second.
 */
export function sha256LeafRate(sample: readonly Uint8Array[], total: number): number {
  const prefix = Uint8Array.of(0);
  const started = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < total; i++) {
    sink ^= createHash('sha256').update(prefix).update(sample[i % sample.length]!).digest()[0]!;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Read the sink so the loop cannot be optimised away.
  if (sink === -1) process.stderr.write('unreachable\n');
  return total / seconds;
}
