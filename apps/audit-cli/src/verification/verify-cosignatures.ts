/**
 * `silta-audit verify --witness-key <key>`: a witness's cosignatures of this log's checkpoints,
 * kept in the stream `cosignatures-audit`. Each must carry a valid signature by the log's key and a
 * valid C2SP tlog-cosignature/v1 by the witness's cosigner key (type 0x04; a witness key of type
 * 0x01 checks the plain note cosignatures written before tlog-cosignature), over a checkpoint this
 * log itself signed (whose root `verify` has already checked against the recomputed tree). So the
 * auditor learns that the other party saw, and vouched for, the same history.
 */
import type { EventStore } from '@silta/event-store';
import { TransparencyError, openCosignatures, parseCosignerKey } from '@silta/transparency';
import { readCheckpointEvents, type AuditCheckpointSigned } from '../audit-log';
import { openSignedCheckpoint } from '../checkpoints';
import { AuditFailure } from '../failures';
import { readStreamInPages } from '../stream-pages';

export const COSIGNATURE_STREAM = 'cosignatures-audit';

export interface CosignatureReport {
  /** Cosigned checkpoints that verified. */
  readonly verified: number;
  /** The largest cosigned size, if any. */
  readonly latestSize?: number;
  readonly witness: string;
}

export async function verifyCosignatures(
  store: EventStore,
  options: { readonly key: string; readonly witnessKey: string; readonly origin?: string; readonly pageSize: number },
): Promise<CosignatureReport> {
  const ownRoots = new Map<number, string>();
  for await (const event of readCheckpointEvents(store, options.pageSize)) {
    const data = event.data as Partial<AuditCheckpointSigned>;
    if (typeof data.size === 'number' && typeof data.rootHash === 'string') ownRoots.set(data.size, data.rootHash);
  }
  let verified = 0;
  let latestSize: number | undefined;
  const witness = options.witnessKey.split('+')[0]!;
  for await (const event of readStreamInPages(store, COSIGNATURE_STREAM, options.pageSize)) {
    const label = `cosignature ${verified + 1} (stream ${COSIGNATURE_STREAM}, revision ${event.revision})`;
    const { note, witnessKey: by } = (event.data ?? {}) as { note?: unknown; witnessKey?: unknown };
    // The stream keeps every witness's cosignatures, each naming its witness's key: another witness's
    // are not this one's business, but one under this witness's name is checked, whatever key it names.
    if (typeof by === 'string' && by.split('+')[0] !== witness) continue;
    const byLog = openSignedCheckpoint(note, options.key, `${label}, the log's signature`, options.origin);
    if (!isCosignerKey(options.witnessKey)) {
      openSignedCheckpoint(note, options.witnessKey, `${label}, the witness's signature`, options.origin);
    } else {
      try {
        openCosignatures(note as string, [options.witnessKey], `${label}, the witness's`);
      } catch (error) {
        if (error instanceof TransparencyError) throw new AuditFailure('cosignature_invalid', error.message);
        throw error;
      }
    }
    const root = Buffer.from(byLog.root).toString('base64');
    if (ownRoots.get(byLog.size) !== root) {
      throw new AuditFailure('cosignature_invalid', `${label}: cosigns size ${byLog.size} with root ${root}, which is not a checkpoint this log signed`);
    }
    verified += 1;
    latestSize = Math.max(latestSize ?? 0, byLog.size);
  }
  if (verified === 0) throw new AuditFailure('no_cosignature', `no checkpoint of this log is cosigned by ${witness}`);
  return { verified, latestSize, witness };
}

/** A tlog-cosignature/v1 key (type 0x04), as witnesses now sign; else a note key (type 0x01), as before. */
function isCosignerKey(key: string): boolean {
  try {
    parseCosignerKey(key);
    return true;
  } catch {
    return false;
  }
}
