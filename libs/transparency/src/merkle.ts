/**
 * RFC 9162 §2.1 Merkle Tree Hash with SHA-256: leaf and node hashing with domain-separating
 * prefixes, the root of a list of leaves, and an incremental frontier for streaming verifiers.
 *
 * Sizes and indices are JavaScript numbers, exact up to 2^53. Arithmetic on them avoids the
 * 32-bit bitwise operators on purpose, so logs beyond 2^31 leaves hash correctly.
 */
import { describeHash, equalBytes, fromBase64, sha256, toBase64 } from './bytes';
import { MalformedFrontierError, OutOfRangeError, RootMismatchError } from './errors';

/** A half-open range [start, end) of leaves: a proof carries the Merkle Tree Hash of each. */
export interface LeafRange {
  readonly start: number;
  readonly end: number;
}

/** The perfect subtree of the 2^level leaves from index × 2^level; level 0 is one leaf. */
export interface PerfectSubtree {
  readonly level: number;
  readonly index: number;
}

/** A perfect subtree with its hash, as MerkleFrontier.append reports them. */
export interface HashedSubtree extends PerfectSubtree {
  readonly hash: Uint8Array;
}

/** Bytes in every hash of the tree (SHA-256). */
export const HASH_SIZE = 32;

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** The leaf hash of RFC 9162 §2.1.1: SHA-256(0x00 || data). */
export function leafHash(data: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, data);
}

/** The interior node hash of RFC 9162 §2.1.1: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, left, right);
}

/** The root of the empty tree: SHA-256 of the empty string. */
export function emptyRoot(): Uint8Array {
  return sha256();
}

/** The leaf hashes of a tree in log order: an array, or an accessor by 0-based index. */
export type LeafHashes = readonly Uint8Array[] | ((index: number) => Uint8Array);

/** The Merkle Tree Hash (root) of the leaf hashes; O(n) hashes, O(log n) stack. */
export function rootOf(leafHashes: readonly Uint8Array[]): Uint8Array;
/** The Merkle Tree Hash (root) of the first `size` leaves read through the accessor. */
export function rootOf(leafHashes: (index: number) => Uint8Array, size: number): Uint8Array;
export function rootOf(leafHashes: LeafHashes, size?: number): Uint8Array {
  const n = size ?? (typeof leafHashes === 'function' ? undefined : leafHashes.length);
  if (n === undefined) throw new OutOfRangeError('rootOf needs a tree size when given an accessor');
  checkSize(n, 'tree size');
  return subtreeRoot(leafReader(leafHashes, n), 0, n);
}

/**
 * MTH(D[start:end]) by the recursive definition of RFC 9162 §2.1.1: split at the largest power
 * of two below the size. Shared with proof generation.
 */
export function subtreeRoot(leafAt: (index: number) => Uint8Array, start: number, end: number): Uint8Array {
  const n = end - start;
  if (n === 0) return emptyRoot();
  if (n === 1) return leafAt(start);
  const k = largestPowerOfTwoBelow(n);
  return nodeHash(subtreeRoot(leafAt, start, start + k), subtreeRoot(leafAt, start + k, end));
}

/** The largest power of two strictly less than n (n ≥ 2): where RFC 9162 splits a tree. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Reads leaf hash i of a tree of `size` leaves, checking that it exists and is 32 bytes. */
export function leafReader(leafHashes: LeafHashes, size: number): (index: number) => Uint8Array {
  if (typeof leafHashes !== 'function' && leafHashes.length < size) {
    throw new OutOfRangeError(`tree of size ${size} needs ${size} leaf hashes, got ${leafHashes.length}`);
  }
  const read = typeof leafHashes === 'function' ? leafHashes : (index: number) => leafHashes[index]!;
  return (index) => {
    const hash = read(index);
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
      throw new OutOfRangeError(`leaf ${index} has no ${HASH_SIZE}-byte leaf hash`);
    }
    return hash;
  };
}

/** Throws unless n is a whole number in [0, 2^53). */
export function checkSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new OutOfRangeError(`${what} ${String(n)} is not a whole number ≥ 0`);
}

/** A Merkle frontier as stored or sent: the size and its subtree roots in base64, largest first. */
export interface MerkleFrontierJson {
  readonly size: number;
  readonly hashes: readonly string[];
}

/**
 * The right edge of a growing tree (a compact range over [0, size)): one root per perfect
 * subtree, one per set bit of `size`, largest (leftmost) first. It holds O(log n) hashes, so a
 * verifier can stream millions of leaves and still compute the root at every size.
 */
export class MerkleFrontier {
  private count = 0;
  private readonly subtrees: Uint8Array[] = [];

  /** Leaves appended so far. */
  get size(): number {
    return this.count;
  }

  /**
   * Appends the next leaf hash (amortised O(1) hashes, at most log2(size) per call) and answers
   * the perfect subtrees it completed, the leaf itself (level 0) first: what a stored tree keeps.
   */
  append(leafHash: Uint8Array): HashedSubtree[] {
    if (!(leafHash instanceof Uint8Array) || leafHash.length !== HASH_SIZE) {
      throw new OutOfRangeError(`leaf ${this.count} has no ${HASH_SIZE}-byte leaf hash`);
    }
    let hash = leafHash;
    let rest = this.count;
    const completed: HashedSubtree[] = [{ level: 0, index: this.count, hash }];
    // Each trailing 1 bit of the old size is a perfect subtree the new leaf completes.
    while (rest % 2 === 1) {
      hash = nodeHash(this.subtrees.pop()!, hash);
      rest = (rest - 1) / 2;
      completed.push({ level: completed.length, index: rest, hash });
    }
    this.subtrees.push(hash);
    this.count += 1;
    return completed;
  }

  /** The Merkle Tree Hash at the current size (O(log n) hashes). */
  root(): Uint8Array {
    if (this.subtrees.length === 0) return emptyRoot();
    let root = this.subtrees[this.subtrees.length - 1]!;
    for (let i = this.subtrees.length - 2; i >= 0; i--) root = nodeHash(this.subtrees[i]!, root);
    return root;
  }

  /** Throws a RootMismatchError naming the size unless the current root is `expected`. */
  verifyRoot(expected: Uint8Array): void {
    const actual = this.root();
    if (!equalBytes(actual, expected)) {
      throw new RootMismatchError(this.count, describeHash(expected), describeHash(actual));
    }
  }

  /** An independent copy, to branch (for example, to try a candidate leaf). */
  clone(): MerkleFrontier {
    return MerkleFrontier.restore(this.count, this.subtrees.slice());
  }

  /** The frontier as JSON: size and base64 subtree roots, largest first. */
  toJSON(): MerkleFrontierJson {
    return { size: this.count, hashes: this.subtrees.map(toBase64) };
  }

  /** Restores a frontier from toJSON(); throws MalformedFrontierError naming the problem. */
  static fromJSON(json: unknown): MerkleFrontier {
    if (typeof json !== 'object' || json === null) throw new MalformedFrontierError('not an object');
    const { size, hashes } = json as { size?: unknown; hashes?: unknown };
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw new MalformedFrontierError(`size ${String(size)} is not a whole number ≥ 0`);
    }
    if (!Array.isArray(hashes)) throw new MalformedFrontierError('hashes is not an array');
    const expected = bitCount(size);
    if (hashes.length !== expected) {
      throw new MalformedFrontierError(`size ${size} needs ${expected} subtree hashes, got ${hashes.length}`);
    }
    const subtrees = hashes.map((text: unknown, i) => {
      const hash = typeof text === 'string' ? fromBase64(text) : undefined;
      if (!hash || hash.length !== HASH_SIZE) {
        throw new MalformedFrontierError(`hashes[${i}] is not a base64 ${HASH_SIZE}-byte hash`);
      }
      return hash;
    });
    return MerkleFrontier.restore(size, subtrees);
  }

  private static restore(size: number, subtrees: Uint8Array[]): MerkleFrontier {
    const frontier = new MerkleFrontier();
    frontier.count = size;
    frontier.subtrees.push(...subtrees);
    return frontier;
  }
}

function bitCount(n: number): number {
  let bits = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) bits += rest % 2;
  return bits;
}
