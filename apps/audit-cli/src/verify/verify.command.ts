/** `silta-audit verify`: its options, and the report it prints. */
import { parseArgs } from 'node:util';
import { DEFAULT_PAGE_SIZE } from '../audit-log';
import { positiveInteger, verifierKey, witnessKey } from '../arguments';
import { openCheckpointFile } from '../checkpoints';
import type { CliDeps, CliIo } from '../command';
import { STORE_OPTIONS, withStore } from '../store-options';
import { verifyCosignatures } from '../verification/verify-cosignatures';
import { defaultWorkers } from '../verification/parallel-leaves';
import { verifyLog } from '../verification/verify';

export async function verifyCommand(args: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...STORE_OPTIONS,
      key: { type: 'string' },
      origin: { type: 'string' },
      checkpoint: { type: 'string', multiple: true },
      'witness-key': { type: 'string', multiple: true },
      'progress-every': { type: 'string' },
      workers: { type: 'string' },
    },
    strict: true,
  });
  const key = verifierKey(values.key);
  const witnessKeys = (values['witness-key'] ?? []).map(witnessKey);
  const held = (values.checkpoint ?? []).map((file) => openCheckpointFile(file, key, values.origin));
  const pageSize = positiveInteger(values['page-size'], '--page-size', DEFAULT_PAGE_SIZE);
  const progressEvery = positiveInteger(values['progress-every'], '--progress-every', 10_000);
  const workers = positiveInteger(values.workers, '--workers', defaultWorkers());
  const { report, cosignatures } = await withStore(values, io, deps, async (store) => ({
    report: await verifyLog(store, {
      key,
      origin: values.origin,
      pageSize,
      workers,
      heldCheckpoints: held,
      progressEvery,
      onProgress: (leaves, expected) =>
        io.stderr(
          expected ? `verified ${leaves} leaves (${Math.min(100, Math.floor((leaves / expected) * 100))}% of the latest checkpoint's ${expected})\n` : `verified ${leaves} leaves\n`,
        ),
      onReread: (size) =>
        io.stderr(`the root at size ${size} does not match over payloads hashed as stored; reading the log again with every payload shown canonical or parsed\n`),
    }),
    cosignatures: await Promise.all(witnessKeys.map((witnessKey) => verifyCosignatures(store, { key, witnessKey, origin: values.origin, pageSize }))),
  }));
  const latest = report.latest!;
  const unsigned = report.leaves - latest.size;
  io.stdout(
    `ok: ${report.leaves} leaves match their recorded hashes; ${report.checkpoints} checkpoints` +
      (report.heldCheckpoints ? ` and ${report.heldCheckpoints} held checkpoints` : '') +
      ` signed by ${report.signers.join(', ')} match the recomputed roots and are consistent; ` +
      `latest ${latest.origin} at size ${latest.size}, root ${Buffer.from(latest.root).toString('base64')}` +
      (unsigned > 0 ? `; ${unsigned} newer leaves are not yet under a checkpoint` : '') +
      '\n',
  );
  for (const witnessed of cosignatures) {
    io.stdout(`ok: ${witnessed.verified} checkpoints are cosigned by ${witnessed.witness}, the latest at size ${witnessed.latestSize}\n`);
  }
  return 0;
}
