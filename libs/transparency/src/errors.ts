/**
 * Typed errors of the transparency log. Every error has a stable `code` (safe to map at the edge
 * or to print in a verifier's report) and a message that names what failed and where.
 */

/** The stable codes, one per way a log, proof, note or key can be wrong. */
export type TransparencyErrorCode =
  | 'not_canonical_json'
  | 'leaf_hash_mismatch'
  | 'root_mismatch'
  | 'out_of_range'
  | 'malformed_frontier'
  | 'inclusion_proof_invalid'
  | 'consistency_proof_invalid'
  | 'malformed_note'
  | 'malformed_key'
  | 'ambiguous_key'
  | 'unknown_key'
  | 'bad_signature'
  | 'malformed_checkpoint'
  | 'wrong_origin'
  | 'malformed_bundle'
  | 'malformed_map_proof'
  | 'map_proof_invalid'
  | 'malformed_cosignature'
  | 'malformed_json';

/** Base class of this library's errors; `code` is stable, the message is for people. */
export abstract class TransparencyError extends Error {
  abstract readonly code: TransparencyErrorCode;
}

/** A value that RFC 8785 cannot canonicalise (NaN, a lone surrogate, a Date, a cycle...). */
export class CanonicalJsonError extends TransparencyError {
  readonly code = 'not_canonical_json';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot canonicalise ${path}: ${reason}`);
    this.name = 'CanonicalJsonError';
  }
}

/** A stored leaf hash differs from the hash recomputed from the event it belongs to. */
export class LeafHashMismatchError extends TransparencyError {
  readonly code = 'leaf_hash_mismatch';
  constructor(
    readonly index: number,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`leaf ${index} hash mismatch: stored ${expected}, recomputed ${actual}`);
    this.name = 'LeafHashMismatchError';
  }
}

/** The root recomputed over the log differs from the root a checkpoint (or caller) expects. */
export class RootMismatchError extends TransparencyError {
  readonly code = 'root_mismatch';
  constructor(
    readonly size: number,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`root mismatch at size ${size}: expected ${expected}, computed ${actual}`);
    this.name = 'RootMismatchError';
  }
}

/** A leaf index or tree size outside the tree a proof is asked of. */
export class OutOfRangeError extends TransparencyError {
  readonly code = 'out_of_range';
  constructor(message: string) {
    super(message);
    this.name = 'OutOfRangeError';
  }
}

/** A serialised Merkle frontier that does not describe a tree. */
export class MalformedFrontierError extends TransparencyError {
  readonly code = 'malformed_frontier';
  constructor(reason: string) {
    super(`malformed Merkle frontier: ${reason}`);
    this.name = 'MalformedFrontierError';
  }
}

/** An offline bundle that is not the shape `silta-audit verify-bundle` reads; names the field. */
export class MalformedBundleError extends TransparencyError {
  readonly code = 'malformed_bundle';
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {
    super(`bundle ${source}${reason.startsWith('is ') ? ' ' : ': '}${reason}`);
    this.name = 'MalformedBundleError';
  }
}

/**
 * JSON text a verifier must not trust because it is not strict I-JSON (RFC 7493): a syntax
 * error, a duplicate member name, a lone surrogate, an unsafe number or nesting too deep.
 * Names the source, the JSON path, and the line and column.
 */
export class MalformedJsonError extends TransparencyError {
  readonly code = 'malformed_json';
  constructor(
    readonly source: string,
    readonly path: string,
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${source}: ${path}: ${reason} (line ${line}, column ${column})`);
    this.name = 'MalformedJsonError';
  }
}

/** An inclusion proof that does not lead from the leaf to the root. */
export class InclusionProofError extends TransparencyError {
  readonly code = 'inclusion_proof_invalid';
  constructor(
    readonly index: number,
    readonly treeSize: number,
    readonly reason: string,
  ) {
    super(`inclusion proof for leaf ${index} in tree of size ${treeSize} does not verify: ${reason}`);
    this.name = 'InclusionProofError';
  }
}

/** A consistency proof that does not show the older tree to be a prefix of the newer one. */
export class ConsistencyProofError extends TransparencyError {
  readonly code = 'consistency_proof_invalid';
  constructor(
    readonly oldSize: number,
    readonly newSize: number,
    readonly reason: string,
  ) {
    super(`consistency proof between ${oldSize} and ${newSize} does not verify: ${reason}`);
    this.name = 'ConsistencyProofError';
  }
}

/** A signed note (or checkpoint note) that breaks the C2SP signed-note syntax. */
export class MalformedNoteError extends TransparencyError {
  readonly code = 'malformed_note';
  constructor(reason: string) {
    super(`malformed note: ${reason}`);
    this.name = 'MalformedNoteError';
  }
}

/** A signer or verifier key string that does not parse, or whose key hash does not match. */
export class MalformedKeyError extends TransparencyError {
  readonly code = 'malformed_key';
  constructor(reason: string) {
    super(`malformed key: ${reason}`);
    this.name = 'MalformedKeyError';
  }
}

/** Two different verifier keys share a name and key hash, so a signature cannot be attributed. */
export class AmbiguousKeyError extends TransparencyError {
  readonly code = 'ambiguous_key';
  constructor(readonly key: string) {
    super(`ambiguous verifier key ${key}: two different public keys share this name and hash`);
    this.name = 'AmbiguousKeyError';
  }
}

/** No signature on the note is by a key the verifier trusts; `keys` names the ones found. */
export class UnknownKeyError extends TransparencyError {
  readonly code = 'unknown_key';
  constructor(
    readonly subject: string,
    readonly keys: readonly string[],
  ) {
    super(
      keys.length === 0
        ? `${subject} has no signatures`
        : `${subject} signature by unknown key ${keys.join(', ')}`,
    );
    this.name = 'UnknownKeyError';
  }
}

/** A signature by a trusted key that does not verify: the text or the signature was altered. */
export class BadSignatureError extends TransparencyError {
  readonly code = 'bad_signature';
  constructor(
    readonly subject: string,
    readonly key: string,
    readonly reason = 'does not verify',
  ) {
    super(`${subject} signature by ${key} ${reason}`);
    this.name = 'BadSignatureError';
  }
}

/** A note body that is not a C2SP checkpoint (origin, tree size, root hash, extensions). */
export class MalformedCheckpointError extends TransparencyError {
  readonly code = 'malformed_checkpoint';
  constructor(reason: string) {
    super(`malformed checkpoint: ${reason}`);
    this.name = 'MalformedCheckpointError';
  }
}

/** A validly signed checkpoint for another log than the one the verifier asked about. */
export class WrongOriginError extends TransparencyError {
  readonly code = 'wrong_origin';
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`checkpoint is for origin ${actual}, expected ${expected}`);
    this.name = 'WrongOriginError';
  }
}

/** A map proof (or a checkpoint's map line) that is not well formed. */
export class MalformedMapProofError extends TransparencyError {
  readonly code = 'malformed_map_proof';
  constructor(reason: string) {
    super(`malformed map proof: ${reason}`);
    this.name = 'MalformedMapProofError';
  }
}

/** A map proof that does not lead to the checkpoint's map root for that stream and entry. */
export class MapProofError extends TransparencyError {
  readonly code = 'map_proof_invalid';
  constructor(
    readonly stream: string,
    reason: string,
  ) {
    super(`map proof for ${stream} does not verify: ${reason}`);
    this.name = 'MapProofError';
  }
}

/** A cosignature line that is not a C2SP tlog-cosignature/v1 (wrong length, timestamp out of range). */
export class MalformedCosignatureError extends TransparencyError {
  readonly code = 'malformed_cosignature';
  constructor(reason: string) {
    super(`malformed cosignature: ${reason}`);
    this.name = 'MalformedCosignatureError';
  }
}
