/**
 * @silta/transparency — the tamper-evident log core: RFC 8785 canonical leaves, RFC 9162 Merkle
 * trees and proofs, and C2SP signed checkpoints. Plain TypeScript over node:crypto; no framework,
 * store or broker imports, so the services, the CLI and an offline verifier can all share it.
 */

// Leaves: what an audit event contributes to the tree.
export {
  /** RFC 8785 canonical JSON text of a JSON value; throws CanonicalJsonError naming the path. */
  canonicalJson,
  /** UTF-8 of canonicalJson({ type, data }) of an audit event: the bytes its Merkle leaf hashes. */
  leafData,
  /** The RFC 9162 leaf hash of an audit event. */
  eventLeafHash,
  /** Recomputes an event's leaf hash and throws LeafHashMismatchError naming the index if it differs. */
  verifyLeafHash,
  type AuditLeafEvent,
} from './canonical';

// The tree.
export {
  /** SHA-256 output size in bytes: the size of every hash here. */
  HASH_SIZE,
  /** SHA-256(0x00 || data). */
  leafHash,
  /** SHA-256(0x01 || left || right). */
  nodeHash,
  /** SHA-256(""), the root of the empty tree. */
  emptyRoot,
  /** The Merkle Tree Hash of leaf hashes (array, or accessor plus size). */
  rootOf,
  /** O(log n) right edge of a growing tree: append leaves, read the root at every size. */
  MerkleFrontier,
  type MerkleFrontierJson,
  type LeafHashes,
  type LeafRange,
  type PerfectSubtree,
  type HashedSubtree,
} from './merkle';

// Proofs.
export {
  /** RFC 9162 inclusion proof (audit path) for one leaf. */
  inclusionProof,
  /** RFC 9162 consistency proof between two tree sizes. */
  consistencyProof,
  /** The root an inclusion proof leads to. */
  rootFromInclusionProof,
  /** Throws InclusionProofError unless the proof places the leaf in the tree with that root. */
  verifyInclusion,
  /** Throws ConsistencyProofError unless the old tree is a prefix of the new one. */
  verifyConsistency,
  /** The leaf ranges whose hashes an inclusion proof holds, deepest first. */
  inclusionProofRanges,
  /** The leaf ranges whose hashes a consistency proof holds, deepest first. */
  consistencyProofRanges,
} from './proofs';

// A tree stored as its perfect subtrees: proofs in O(log² n) lookups.
export {
  /** The perfect subtrees a proof's (aligned) leaf range splits into, largest first. */
  perfectSubtreesOf,
  /** MTH of a range from its perfect subtrees' hashes. */
  foldSubtrees,
  /** `level/index`: a map key for a perfect subtree. */
  subtreeKey,
} from './stored-tree';

// Signed notes and checkpoints.
export {
  /** A fresh Ed25519 signer key string `PRIVATE+KEY+<name>+<hash>+<base64>`. */
  generateSignerKey,
  /** A signer key string for an existing 32-byte Ed25519 seed. */
  formatSignerKey,
  /** The verifier key string `<name>+<hash>+<base64>` of a signer key. */
  verifierKeyOf,
  /** Parses and checks a verifier key string. */
  parseVerifierKey,
  /** True when a string may name a key. */
  isValidKeyName,
  /** Signs a note body. */
  signNote,
  /** Adds (or replaces) one key's signature on a signed note: cosigning. */
  addSignature,
  /** Verifies a signed note against trusted keys. */
  openNote,
  /** Formats a checkpoint note body. */
  formatCheckpoint,
  /** Parses a checkpoint note body. */
  parseCheckpoint,
  /** Verifies a signed checkpoint and parses it. */
  openCheckpoint,
  type Checkpoint,
  type OpenedCheckpoint,
  type OpenedNote,
  type VerifierKey,
} from './note';

// Offline bundles.
export {
  /** Checks an offline bundle's shape; throws MalformedBundleError naming the field. */
  parseBundle,
  type AuditBundle,
  type BundleEvent,
} from './bundle';

export * from './errors';
