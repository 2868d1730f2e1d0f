/**
 * A Merkle tree kept as its perfect subtrees, so a service proves against millions of leaves
 * without holding or rereading them: every subtree a proof or root needs is a perfect subtree, or
 * a range ending at the tree's edge that splits into O(log n) perfect ones (the binary digits of
 * its size, largest first, folded right to left). Appending a leaf completes at most log2(n)
 * perfect subtrees; the store keeps them all (about 2n hashes for n leaves).
 */
import { OutOfRangeError } from './errors';
import { HASH_SIZE, nodeHash, type LeafRange, type PerfectSubtree } from './merkle';

/**
 * The perfect subtrees that make up `range`, largest (leftmost) first. The range must start at a
 * multiple of the largest power of two not above its size, as every range of a proof or root
 * does; then foldSubtrees of their hashes is MTH(range).
 */
export function perfectSubtreesOf(range: LeafRange): PerfectSubtree[] {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start) {
    throw new OutOfRangeError(`leaf range [${start}, ${end}) is empty or not whole numbers`);
  }
  const parts: PerfectSubtree[] = [];
  let at = start;
  let rest = end - start;
  for (let size = 2 ** Math.floor(Math.log2(rest)); rest > 0; size /= 2) {
    if (size > rest) continue;
    if (at % size !== 0) throw new OutOfRangeError(`leaf range [${start}, ${end}) is not aligned to its perfect subtrees`);
    parts.push({ level: Math.log2(size), index: at / size });
    at += size;
    rest -= size;
  }
  return parts;
}

/** MTH of a range from the hashes of perfectSubtreesOf(range), in that order. */
export function foldSubtrees(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) throw new OutOfRangeError('no subtree hashes to fold');
  let hash = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) hash = nodeHash(hashes[i]!, hash);
  return hash;
}

/** A key for a perfect subtree, for maps of fetched hashes. */
export function subtreeKey(node: PerfectSubtree): string {
  return `${node.level}/${node.index}`;
}

/**
 * A tree of leaf hashes held in memory as the hashes of all its perfect subtrees, level by level in
 * one buffer each (about 2n hashes, 64 bytes per leaf), so that many inclusion proofs against one
 * size cost O(log² n) lookups each instead of rehashing the tree per proof. For an offline export
 * that proves a student's thousand events among a log's millions.
 */
export class PerfectSubtreeLevels {
  private readonly levels: Buffer[];

  /** `leafHashes`: the n leaf hashes, 32 bytes each, back to back. */
  constructor(leafHashes: Uint8Array) {
    if (leafHashes.length % HASH_SIZE !== 0) throw new OutOfRangeError(`${leafHashes.length} bytes are not whole 32-byte leaf hashes`);
    this.levels = [Buffer.from(leafHashes.buffer, leafHashes.byteOffset, leafHashes.byteLength)];
    for (let below = this.levels[0]!; below.length >= 2 * HASH_SIZE; ) {
      const level = Buffer.alloc(Math.floor(below.length / (2 * HASH_SIZE)) * HASH_SIZE);
      for (let i = 0; i < level.length / HASH_SIZE; i++) {
        level.set(nodeHash(below.subarray(2 * i * HASH_SIZE, (2 * i + 1) * HASH_SIZE), below.subarray((2 * i + 1) * HASH_SIZE, (2 * i + 2) * HASH_SIZE)), i * HASH_SIZE);
      }
      this.levels.push(level);
      below = level;
    }
  }

  /** Leaves in the tree. */
  get size(): number {
    return this.levels[0]!.length / HASH_SIZE;
  }

  /** MTH of each range, from the perfect subtrees it splits into (ranges as proofs and roots need them). */
  rangeHashes(ranges: readonly LeafRange[]): Uint8Array[] {
    return ranges.map((range) => foldSubtrees(perfectSubtreesOf(range).map(({ level, index }) => this.levels[level]!.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE))));
  }
}
