/**
 * `silta-audit cosign`: a witness's step, for any witness (the other party, or a third one). Checks a
 * checkpoint against the log's key, then adds a C2SP tlog-cosignature/v1 with the witness's key, as
 * transparency-log witnesses sign. Never cosigns what did not verify.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TransparencyError, cosignCheckpoint, cosignerKeyOf } from '@silta/transparency';
import { readText, required, verifierKey } from '../arguments';
import { openCheckpointFile } from '../checkpoints';
import type { CliIo } from '../command';
import { UsageError } from '../failures';

export function cosignCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { key: { type: 'string' }, 'signer-key': { type: 'string' }, origin: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('cosign needs exactly one checkpoint note file');
  const file = positionals[0]!;
  const key = verifierKey(values.key);
  const signerKey = required(values['signer-key'] ?? io.env.SILTA_WITNESS_SIGNER_KEY, '--signer-key <signer key> (or SILTA_WITNESS_SIGNER_KEY)');
  const checkpoint = openCheckpointFile(file, key, values.origin);
  let cosigned: string;
  try {
    cosigned = cosignCheckpoint(readText(file), signerKey);
  } catch (error) {
    if (error instanceof TransparencyError) throw new UsageError(`--signer-key: ${error.message}`);
    throw error;
  }
  if (values.out) writeFileSync(values.out, cosigned);
  else io.stdout(cosigned);
  io.stderr(`cosigned ${checkpoint.origin} at size ${checkpoint.size}; verify with the cosigner key ${cosignerKeyOf(signerKey)}\n`);
  return 0;
}
