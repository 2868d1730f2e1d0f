/** `silta-audit export`: an offline bundle from the store, or from the live service's audit API (--url). */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_PAGE_SIZE } from '../audit-log';
import { positiveInteger, required, verifierKey } from '../arguments';
import type { CliDeps, CliIo } from '../command';
import { AuditFailure, UsageError } from '../failures';
import { STORE_OPTIONS, withStore } from '../store-options';
import { verifyBundle } from '../verification/verify-bundle';
import { exportBundle, type BundleSelection } from './export-bundle';
import { fetchBundle } from './fetch-bundle';

export async function exportCommand(args: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...STORE_OPTIONS,
      student: { type: 'string' },
      disclosure: { type: 'string' },
      out: { type: 'string' },
      key: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
    },
    strict: true,
  });
  if ((values.student === undefined) === (values.disclosure === undefined)) throw new UsageError('export needs exactly one of --student <id> or --disclosure <id>');
  const selection: BundleSelection = values.student !== undefined ? { studentId: values.student } : { disclosureId: values.disclosure! };
  const out = required(values.out, '--out <file>');
  const key = values.key === undefined ? undefined : verifierKey(values.key);
  if (values.url !== undefined) return exportFromService(values.url, values.token ?? io.env.SILTA_TOKEN, selection, out, key, io);
  const pageSize = positiveInteger(values['page-size'], '--page-size', DEFAULT_PAGE_SIZE);
  const { bundle, size, notYetCheckpointed } = await withStore(values, io, deps, (store) => exportBundle(store, { selection, key, pageSize }));
  writeFileSync(out, `${JSON.stringify(bundle, null, 2)}\n`);
  if (!key) io.stderr('note: no --key given, so the checkpoint signature was not checked and the bundle names no verifier key\n');
  if (notYetCheckpointed > 0) {
    const many = notYetCheckpointed > 1;
    io.stderr(
      `note: ${notYetCheckpointed} matching event${many ? 's' : ''} came after the latest checkpoint (size ${size}) and ${many ? 'are' : 'is'} not in the bundle\n`,
    );
  }
  io.stdout(`wrote ${bundle.events.length} events with inclusion proofs against ${bundle.origin} at size ${size} to ${out}\n`);
  return 0;
}

/** export --url: the live service's bundle, verified with --key (required here) before it is written. */
async function exportFromService(url: string, token: string | undefined, selection: BundleSelection, out: string, key: string | undefined, io: CliIo): Promise<number> {
  if (!token) throw new UsageError("export --url needs an auditor's token: --token <jwt> or SILTA_TOKEN");
  if (!key) throw new UsageError('export --url needs --key <verifier key>: a bundle from a service is verified before it is kept');
  const bundle = await fetchBundle(url, token, selection);
  const report = verifyBundle(bundle, key);
  const failed = report.results.find((result) => result.failure);
  if (failed) throw new AuditFailure(failed.failure!.code, `the service's bundle does not verify, nothing written: ${failed.failure!.message}`);
  writeFileSync(out, `${JSON.stringify(bundle, null, 2)}\n`);
  io.stdout(`wrote ${bundle.events.length} events, verified against ${report.checkpoint.origin} at size ${report.checkpoint.size}, from ${url} to ${out}\n`);
  return 0;
}
