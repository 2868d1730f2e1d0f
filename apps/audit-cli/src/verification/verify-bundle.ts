/**
 * `silta-audit verify-bundle`: checks an exported bundle with nothing but the party's verifier key:
 * the checkpoint's signature, each event's leaf hash recomputed from its fields (a v2 leaf: id,
 * stream, revision, previous, type, data), each inclusion proof against the checkpoint's root and,
 * when the bundle claims a whole student's stream, the completeness-map proof against the
 * checkpoint's map line and the chain of the stream's events. No network, no database.
 */
import {
  TransparencyError,
  bundleLeaf,
  completenessProblems,
  eventLeafHash,
  mapRootOf,
  openCosignatures,
  verifyInclusion,
  verifyMapProof,
  type Cosignature,
} from '@silta/transparency';
import type { AuditBundle, BundleEvent } from '@silta/transparency';
import { openSignedCheckpoint, type VerifiedCheckpoint } from '../checkpoints';
import { AuditFailure } from '../failures';

export interface BundleEventResult {
  readonly event: BundleEvent;
  /** What is wrong with it, or undefined when it is proven to be in the log. */
  readonly failure?: AuditFailure;
}

/** The bundle's completeness claim, checked. */
export type CompletenessVerdict =
  | { readonly claimed: false }
  | { readonly claimed: true; readonly stream: string; readonly count: number; readonly failure?: AuditFailure };

export interface BundleReport {
  readonly checkpoint: VerifiedCheckpoint;
  readonly results: readonly BundleEventResult[];
  readonly completeness: CompletenessVerdict;
  /** The witnesses' tlog-cosignatures that verified, one per trusted witness key. */
  readonly cosignatures: readonly Cosignature[];
}

/**
 * Throws AuditFailure when the checkpoint does not open with `key` (then no event can be trusted) or
 * a trusted witness's cosignature is missing or bad; otherwise checks every event and the
 * completeness claim and reports each.
 */
export function verifyBundle(bundle: AuditBundle, key: string, witnessKeys: readonly string[] = []): BundleReport {
  // The bundle's own verifierKey is informational only: trusting it would let a forger sign with any key.
  const checkpoint = openSignedCheckpoint(bundle.checkpoint, key, 'bundle checkpoint', bundle.origin);
  const cosignatures = witnessKeys.flatMap((witnessKey) => {
    try {
      return openCosignatures(bundle.checkpoint, [witnessKey], 'bundle checkpoint');
    } catch (error) {
      if (error instanceof TransparencyError) throw new AuditFailure('cosignature_invalid', error.message);
      throw error;
    }
  });
  const results = bundle.events.map((event, i) => ({ event, failure: checkEvent(event, i, checkpoint) }));
  const proven = results.every((result) => !result.failure);
  return { checkpoint, results, completeness: checkCompleteness(bundle, checkpoint, proven), cosignatures };
}

/** `event 2 (leaf 41, stream audit-x, DisclosureDecided)`: how the report names a bundled event. */
export function describeBundleEvent(event: BundleEvent, position: number): string {
  const unbound = event.leafVersion === 2 ? '' : '; leaf v1: its stream, id and revision are not under the hash';
  return `event ${position} (leaf ${event.leafIndex}, stream ${event.streamId}, ${event.type}${unbound})`;
}

function checkCompleteness(bundle: AuditBundle, checkpoint: VerifiedCheckpoint, eventsProven: boolean): CompletenessVerdict {
  const claim = bundle.completeness;
  if (!claim) return { claimed: false };
  const { stream } = claim;
  const count = claim.entry?.count ?? 0;
  const incomplete = (why: string) => ({ claimed: true as const, stream, count, failure: new AuditFailure('incomplete', `incomplete: ${why}`) });
  try {
    const mapRoot = mapRootOf(checkpoint.extensions ?? []);
    if (!mapRoot) return incomplete(`the checkpoint at size ${checkpoint.size} carries no per-student map line, so it proves no completeness`);
    verifyMapProof(mapRoot, stream, claim.entry ?? undefined, claim.proof);
  } catch (error) {
    if (error instanceof TransparencyError) return incomplete(error.message);
    throw error;
  }
  if (!eventsProven) return incomplete('not every event of the bundle is proven in the log');
  const problems = completenessProblems(bundle.events, stream, claim.entry);
  return problems.length > 0 ? incomplete(problems.join('; ')) : { claimed: true, stream, count };
}

function checkEvent(event: BundleEvent, position: number, checkpoint: VerifiedCheckpoint): AuditFailure | undefined {
  const where = describeBundleEvent(event, position);
  let actual: Uint8Array;
  try {
    actual = eventLeafHash(bundleLeaf(event));
  } catch (error) {
    return new AuditFailure('leaf_hash_mismatch', `${where}: payload cannot be hashed: ${(error as Error).message}`);
  }
  const actualHex = Buffer.from(actual).toString('hex');
  if (actualHex !== event.leafHash) {
    return new AuditFailure(
      'leaf_hash_mismatch',
      `${where}: payload does not match its recorded hash (recorded ${event.leafHash}, recomputed ${actualHex})`,
    );
  }
  const proof: Uint8Array[] = [];
  for (const [i, text] of event.proof.entries()) {
    const hash = Buffer.from(text, 'base64');
    if (hash.length !== 32 || hash.toString('base64') !== text) {
      return new AuditFailure('inclusion_proof_invalid', `${where}: proof[${i}] is not a base64 32-byte hash`);
    }
    proof.push(new Uint8Array(hash));
  }
  try {
    verifyInclusion(actual, event.leafIndex, checkpoint.size, proof, checkpoint.root);
    return undefined;
  } catch (error) {
    if (error instanceof TransparencyError) {
      return new AuditFailure('inclusion_proof_invalid', `${where}: not in the log at checkpoint size ${checkpoint.size}: ${error.message}`);
    }
    throw error;
  }
}
