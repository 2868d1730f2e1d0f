/** `silta-audit verify-bundle`: checks an exported bundle offline: one line per event, then its completeness. */
import { parseArgs } from 'node:util';
import { cosignerKey, readText, verifierKey } from '../arguments';
import type { CliIo } from '../command';
import { UsageError } from '../failures';
import { readTrustedBundle } from '../trusted-json';
import { describeBundleEvent, verifyBundle } from '../verification/verify-bundle';

export function verifyBundleCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { key: { type: 'string' }, 'witness-key': { type: 'string', multiple: true } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('verify-bundle needs exactly one bundle file');
  const file = positionals[0]!;
  const key = verifierKey(values.key);
  const witnessKeys = (values['witness-key'] ?? []).map(cosignerKey);
  // A wrong shape, or JSON that is not strict I-JSON, is an audit finding (exit 1) like a wrong proof.
  const bundle = readTrustedBundle(readText(file), file);
  const { checkpoint, results, completeness, cosignatures } = verifyBundle(bundle, key, witnessKeys);
  io.stdout(`checkpoint ${checkpoint.origin} at size ${checkpoint.size} signed by ${checkpoint.verifiedBy.join(', ')}\n`);
  for (const cosignature of cosignatures) {
    io.stdout(`ok   cosigned by ${cosignature.name} at ${new Date(cosignature.timestamp * 1000).toISOString()}\n`);
  }
  results.forEach(({ event, failure }, i) => io.stdout(`${failure ? 'FAIL' : 'ok  '} ${failure ? failure.message : describeBundleEvent(event, i)}\n`));
  const failed = results.filter((result) => result.failure);
  if (failed.length > 0) {
    io.stderr(`FAIL ${failed.length} of ${results.length} events do not verify; first: ${failed[0]!.failure!.message}\n`);
    return 1;
  }
  io.stdout(`ok: all ${results.length} events are in the log at size ${checkpoint.size}\n`);
  if (!completeness.claimed) {
    io.stdout('completeness: not claimed (the bundle holds a selection of events, not a whole student stream)\n');
    return 0;
  }
  const student = completeness.stream.replace(/^audit-/, '');
  if (completeness.failure) {
    io.stderr(`FAIL ${completeness.failure.message} (student ${student}, checkpoint ${checkpoint.size})\n`);
    return 1;
  }
  io.stdout(`complete: every audit event about student ${student} up to checkpoint ${checkpoint.size} (${completeness.count} events)\n`);
  return 0;
}

