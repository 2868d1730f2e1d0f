/**
 * `silta-audit verify-bundle`: checks an exported bundle with nothing but the party's verifier key:
 * the checkpoint's signature, each event's leaf hash recomputed from its type and data, and each
 * inclusion proof against the checkpoint's root. No network, no database.
 */
import { TransparencyError, eventLeafHash, verifyInclusion } from '@silta/transparency';
import type { AuditBundle, BundleEvent } from '@silta/transparency';
import { openSignedCheckpoint, type VerifiedCheckpoint } from '../checkpoints';
import { AuditFailure } from '../failures';

export interface BundleEventResult {
  readonly event: BundleEvent;
  /** What is wrong with it, or undefined when it is proven to be in the log. */
  readonly failure?: AuditFailure;
}

export interface BundleReport {
  readonly checkpoint: VerifiedCheckpoint;
  readonly results: readonly BundleEventResult[];
}

/**
 * Throws AuditFailure when the checkpoint does not open with `key` (then no event can be trusted);
 * otherwise checks every event and returns one result per event.
 */
export function verifyBundle(bundle: AuditBundle, key: string): BundleReport {
  // The bundle's own verifierKey is informational only: trusting it would let a forger sign with any key.
  const checkpoint = openSignedCheckpoint(bundle.checkpoint, key, 'bundle checkpoint', bundle.origin);
  const results = bundle.events.map((event, i) => ({ event, failure: checkEvent(event, i, checkpoint) }));
  return { checkpoint, results };
}

/** `event 2 (leaf 41, stream audit-x, DisclosureDecided)`: how the report names a bundled event. */
export function describeBundleEvent(event: BundleEvent, position: number): string {
  return `event ${position} (leaf ${event.leafIndex}, stream ${event.streamId}, ${event.type})`;
}

function checkEvent(event: BundleEvent, position: number, checkpoint: VerifiedCheckpoint): AuditFailure | undefined {
  const where = describeBundleEvent(event, position);
  let actual: Uint8Array;
  try {
    actual = eventLeafHash({ type: event.type, data: event.data });
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
