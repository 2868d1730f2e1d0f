/**
 * @silta/transparency — the tamper-evident log core: RFC 8785 canonical leaves, RFC 9162 Merkle
 * trees and proofs, and C2SP signed checkpoints. Plain TypeScript over node:crypto; no framework,
 * store or broker imports, so the services, the CLI and an offline verifier can all share it.
 */

// Leaves: what an audit event contributes to the tree.
export {
  /** RFC 8785 canonical JSON text of a JSON value; throws CanonicalJsonError naming the path. */
  canonicalJson,
  /** Lower-case hex SHA-256 of a value's canonical JSON. */
  canonicalJsonHash,
  /** The bytes an audit event's Merkle leaf hashes: canonical JSON of a v1 ({ type, data }) or v2 leaf. */
  leafData,
  /** The JSON object whose canonical text is a leaf's bytes. */
  leafObject,
  /** The RFC 9162 leaf hash of an audit event. */
  eventLeafHash,
  /** Recomputes an event's leaf hash and throws LeafHashMismatchError naming the index if it differs. */
  verifyLeafHash,
  type AuditLeafEvent,
  type AuditLeafV1,
  type AuditLeafV2,
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
  /** A tree's perfect subtrees in memory, level by level: many proofs against one size, cheaply. */
  PerfectSubtreeLevels,
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
  /** The tlog-cosignature/v1 cosigner key (type 0x04) of a signer key. */
  cosignerKeyOf,
  /** Parses and checks a cosigner key string. */
  parseCosignerKey,
  /** Adds a C2SP tlog-cosignature/v1 (timestamped) to a signed checkpoint. */
  cosignCheckpoint,
  /** Verifies the tlog-cosignature/v1 lines of trusted cosigners on a note. */
  openCosignatures,
  type Cosignature,
} from './note';

// The per-student completeness map a checkpoint commits to.
export {
  /** In-memory sparse Merkle map: audit stream → (latest leaf index, count), incremental root and proofs. */
  StreamMap,
  /** Throws MapProofError unless the proof places the stream's entry (or its absence) under the root. */
  verifyMapProof,
  /** The map root in a checkpoint's extension lines, if any. */
  mapRootOf,
  /** The extension line carrying a map root. */
  mapExtension,
  /** SHA-256 of a stream id: its map key. */
  mapKey,
  /** SHA-256 of an entry's canonical value. */
  mapValueHash,
  MAP_EXTENSION_PREFIX,
  type MapProof,
  type StreamEntry,
} from './map';

// Strict I-JSON for the verifiers.
export {
  /** JSON.parse that throws MalformedJsonError on duplicate names, lone surrogates, unsafe numbers. */
  parseStrictJson,
  /** The deepest nesting parseStrictJson accepts. */
  MAX_JSON_DEPTH,
} from './strict-json';

// Offline bundles.
export {
  /** Reads a bundle as strict I-JSON and checks its shape; throws MalformedBundleError naming the field. */
  parseBundle,
  /** The leaf a bundled event claims to be. */
  bundleLeaf,
  /** What keeps a bundle from being complete for its stream (empty when it is). */
  completenessProblems,
  BUNDLE_FORMAT,
  type AuditBundle,
  type BundleCompleteness,
  type BundleEvent,
} from './bundle';

export * from './errors';
