/** `silta-audit verify-consistency`: checks offline that an older checkpoint is a prefix of a newer one. */
import { parseArgs } from 'node:util';
import { readText, required, verifierKey } from '../arguments';
import { openCheckpointFile } from '../checkpoints';
import type { CliIo } from '../command';
import { checkConsistency, parseConsistencyProof } from './verify-consistency';

export function verifyConsistencyCommand(args: readonly string[], io: CliIo): number {
  const { values } = parseArgs({
    args: [...args],
    options: { key: { type: 'string' }, old: { type: 'string' }, new: { type: 'string' }, proof: { type: 'string' } },
    strict: true,
  });
  const key = verifierKey(values.key);
  const older = openCheckpointFile(required(values.old, '--old <note file>'), key);
  const newer = openCheckpointFile(required(values.new, '--new <note file>'), key);
  const proofFile = required(values.proof, '--proof <json file>');
  checkConsistency(older, newer, parseConsistencyProof(readText(proofFile), proofFile));
  io.stdout(`ok: the checkpoint at size ${older.size} is a prefix of the checkpoint at size ${newer.size} (${newer.origin})\n`);
  return 0;
}
