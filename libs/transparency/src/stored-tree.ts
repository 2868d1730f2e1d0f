/**
 * A Merkle tree kept as its perfect subtrees, so a service proves against millions of leaves
 * without holding or rereading them: every subtree a proof or root needs is a perfect subtree, or
 * a range ending at the tree's edge that splits into O(log n) perfect ones (the binary digits of
 * its size, largest first, folded right to left). Appending a leaf completes at most log2(n)
 * perfect subtrees; the store keeps them all (about 2n hashes for n leaves).
 */
import { OutOfRangeError } from './errors';
import { nodeHash, type LeafRange, type PerfectSubtree } from './merkle';

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
