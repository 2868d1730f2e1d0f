/** `silta-audit verify-bundle`: checks an exported bundle offline and prints one line per event. */
import { parseArgs } from 'node:util';
import { readText, verifierKey } from '../arguments';
import type { CliIo } from '../command';
import { UsageError } from '../failures';
import { readTrustedBundle } from '../trusted-json';
import { describeBundleEvent, verifyBundle } from '../verification/verify-bundle';

export function verifyBundleCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({ args: [...args], options: { key: { type: 'string' } }, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('verify-bundle needs exactly one bundle file');
  const file = positionals[0]!;
  const key = verifierKey(values.key);
  // A wrong shape, or JSON that is not strict I-JSON, is an audit finding (exit 1) like a wrong proof.
  const bundle = readTrustedBundle(readText(file), file);
  const report = verifyBundle(bundle, key);
  const { checkpoint, results } = report;
  io.stdout(`checkpoint ${checkpoint.origin} at size ${checkpoint.size} signed by ${checkpoint.verifiedBy.join(', ')}\n`);
  results.forEach(({ event, failure }, i) => io.stdout(`${failure ? 'FAIL' : 'ok  '} ${failure ? failure.message : describeBundleEvent(event, i)}\n`));
  const failed = results.filter((result) => result.failure);
  if (failed.length > 0) {
    io.stderr(`FAIL ${failed.length} of ${results.length} events do not verify; first: ${failed[0]!.failure!.message}\n`);
    return 1;
  }
  io.stdout(`ok: all ${results.length} events are in the log at size ${checkpoint.size}\n`);
  return 0;
}

