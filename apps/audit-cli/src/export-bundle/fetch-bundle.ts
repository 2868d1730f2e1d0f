/**
 * `silta-audit export --url <service>`: the same bundle, asked of the live service's audit API
 * (GET /v1/audit/log/bundle) with an auditor's token instead of read from the store. With a key it
 * is verified before it is written, so an auditor never keeps a bundle that does not check out.
 */
import type { AuditBundle } from '@silta/transparency';
import { readTrustedBundle } from '../trusted-json';
import type { BundleSelection } from './export-bundle';

export async function fetchBundle(url: string, token: string, selection: BundleSelection): Promise<AuditBundle> {
  const query = 'studentId' in selection ? `studentId=${encodeURIComponent(selection.studentId)}` : `disclosureId=${encodeURIComponent(selection.disclosureId)}`;
  const address = `${url.replace(/\/+$/, '')}/v1/audit/log/bundle?${query}`;
  const response = await fetch(address, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(60_000) });
  const text = await response.text();
  if (!response.ok) {
    let detail = text;
    try {
      // Only for the error message: nothing here is verified or trusted.
      detail = (JSON.parse(text) as { detail?: string }).detail ?? text;
    } catch {
      // not a problem document: show the text
    }
    throw new Error(`${address} answered ${response.status}: ${detail}`);
  }
  return readTrustedBundle(text, address);
}
