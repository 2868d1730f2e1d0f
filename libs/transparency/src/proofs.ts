/**
 * Inclusion and consistency proofs of RFC 9162 §2.1.3 and §2.1.4: generation by the recursive
 * definitions, verification by the RFC's iterative algorithms (§2.1.3.2 and §2.1.4.2).
 *
 * Generation first names the subtrees a proof holds (inclusionProofRanges, consistencyProofRanges),
 * then hashes them: from leaf hashes here (O(n) hashes, O(log n) memory per proof), or from stored
 * perfect subtrees (stored-tree.ts: O(log² n) lookups, what a service does). Verification is
 * O(log n) hashes.
 */
import { describeHash, equalBytes } from './bytes';
import { ConsistencyProofError, InclusionProofError, OutOfRangeError } from './errors';
import {
  HASH_SIZE,
  checkSize,
  emptyRoot,
  largestPowerOfTwoBelow,
  leafReader,
  nodeHash,
  subtreeRoot,
  type LeafHashes,
  type LeafRange,
} from './merkle';

/** The audit path for leaf `index` in the tree of the first `treeSize` leaves (RFC 9162 §2.1.3.1). */
export function inclusionProof(leafHashes: LeafHashes, index: number, treeSize: number): Uint8Array[] {
  const ranges = inclusionProofRanges(index, treeSize);
  const leafAt = leafReader(leafHashes, treeSize);
  return ranges.map(({ start, end }) => subtreeRoot(leafAt, start, end));
}

/** Which subtrees the inclusion proof of leaf `index` in a tree of `treeSize` holds, deepest first. */
export function inclusionProofRanges(index: number, treeSize: number): LeafRange[] {
  checkSize(treeSize, 'tree size');
  if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) {
    throw new OutOfRangeError(`leaf index ${String(index)} is outside a tree of size ${treeSize}`);
  }
  // PATH(m, D[n]) lists the deepest sibling first; walk down from the root and reverse.
  const siblings: LeafRange[] = [];
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (index < start + k) {
      siblings.push({ start: start + k, end });
      end = start + k;
    } else {
      siblings.push({ start, end: start + k });
      start += k;
    }
  }
  return siblings.reverse();
}

/**
 * The consistency proof between the trees of the first `oldSize` and `newSize` leaves
 * (RFC 9162 §2.1.4.1); empty when oldSize is 0 or equals newSize.
 */
export function consistencyProof(leafHashes: LeafHashes, oldSize: number, newSize: number): Uint8Array[] {
  const ranges = consistencyProofRanges(oldSize, newSize);
  if (ranges.length === 0) return [];
  const leafAt = leafReader(leafHashes, newSize);
  return ranges.map(({ start, end }) => subtreeRoot(leafAt, start, end));
}

/** Which subtrees the consistency proof between `oldSize` and `newSize` holds, deepest first. */
export function consistencyProofRanges(oldSize: number, newSize: number): LeafRange[] {
  checkSize(oldSize, 'old tree size');
  checkSize(newSize, 'new tree size');
  if (oldSize > newSize) throw new OutOfRangeError(`old tree size ${oldSize} is larger than new tree size ${newSize}`);
  if (oldSize === 0 || oldSize === newSize) return [];
  // SUBPROOF(m, D[start:end], b), unrolled; like PATH it lists the deepest node first.
  const nodes: LeafRange[] = [];
  let start = 0;
  let end = newSize;
  let m = oldSize;
  let wholeOldTree = true; // the RFC's `b`: the old tree is exactly this subtree, so its root is known
  for (;;) {
    const n = end - start;
    if (m === n) {
      if (!wholeOldTree) nodes.push({ start, end });
      break;
    }
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      nodes.push({ start: start + k, end });
      end = start + k;
    } else {
      nodes.push({ start, end: start + k });
      start += k;
      m -= k;
      wholeOldTree = false;
    }
  }
  return nodes.reverse();
}

/**
 * The root an inclusion proof leads to from `leafHash` at `index` (RFC 9162 §2.1.3.2 steps 1–4);
 * throws InclusionProofError when the proof cannot fit a tree of `treeSize`.
 */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
): Uint8Array {
  const fail = (reason: string) => new InclusionProofError(index, treeSize, reason);
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) throw fail('tree size is not a whole number ≥ 0');
  if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) throw fail('leaf index is outside the tree');
  if (leafHash.length !== HASH_SIZE) throw fail(`leaf hash is ${leafHash.length} bytes, not ${HASH_SIZE}`);
  checkHashes(proof, fail);

  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) throw fail(`proof has ${proof.length} hashes, more than the path to the root`);
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      // A right-edge node with no right sibling: climb until this node is a right child.
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw fail(`proof has ${proof.length} hashes, fewer than the path to the root`);
  return r;
}

/** Throws InclusionProofError unless `proof` shows `leafHash` at `index` in the tree with `root` (RFC 9162 §2.1.3.2). */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  const computed = rootFromInclusionProof(leafHash, index, treeSize, proof);
  if (!equalBytes(computed, root)) {
    throw new InclusionProofError(index, treeSize, `it leads to root ${describeHash(computed)}, not ${describeHash(root)}`);
  }
}

/**
 * Throws ConsistencyProofError unless `proof` shows the tree (oldSize, oldRoot) to be a prefix of
 * the tree (newSize, newRoot) (RFC 9162 §2.1.4.2). The edges the RFC leaves implicit: equal sizes
 * need equal roots and an empty proof; an old size of 0 needs the empty-tree root and an empty proof.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): void {
  const fail = (reason: string) => new ConsistencyProofError(oldSize, newSize, reason);
  if (!Number.isSafeInteger(oldSize) || oldSize < 0) throw fail('old size is not a whole number ≥ 0');
  if (!Number.isSafeInteger(newSize) || newSize < 0) throw fail('new size is not a whole number ≥ 0');
  if (oldSize > newSize) throw fail('the old tree is larger than the new one');
  if (oldRoot.length !== HASH_SIZE) throw fail(`old root is ${oldRoot.length} bytes, not ${HASH_SIZE}`);
  if (newRoot.length !== HASH_SIZE) throw fail(`new root is ${newRoot.length} bytes, not ${HASH_SIZE}`);
  checkHashes(proof, fail);

  if (oldSize === newSize) {
    if (proof.length !== 0) throw fail(`trees of equal size need an empty proof, got ${proof.length} hashes`);
    if (!equalBytes(oldRoot, newRoot)) throw fail(`equal sizes with different roots ${describeHash(oldRoot)} and ${describeHash(newRoot)}`);
    return;
  }
  if (oldSize === 0) {
    if (proof.length !== 0) throw fail(`an empty old tree needs an empty proof, got ${proof.length} hashes`);
    if (!equalBytes(oldRoot, emptyRoot())) throw fail(`old root ${describeHash(oldRoot)} is not the empty-tree root`);
    return;
  }

  // 0 < oldSize < newSize: RFC 9162 §2.1.4.2, steps 1–7.
  if (proof.length === 0) throw fail('the proof is empty');
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) throw fail(`proof has ${proof.length} hashes, more than the trees need`);
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw fail(`proof has ${proof.length} hashes, fewer than the trees need`);
  if (!equalBytes(fr, oldRoot)) throw fail(`it leads to old root ${describeHash(fr)}, not ${describeHash(oldRoot)}`);
  if (!equalBytes(sr, newRoot)) throw fail(`it leads to new root ${describeHash(sr)}, not ${describeHash(newRoot)}`);
}

function checkHashes(proof: readonly Uint8Array[], fail: (reason: string) => Error): void {
  proof.forEach((hash, i) => {
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
      throw fail(`proof[${i}] is not a ${HASH_SIZE}-byte hash`);
    }
  });
}

function isPowerOfTwo(n: number): boolean {
  let rest = n;
  while (rest > 1 && rest % 2 === 0) rest /= 2;
  return rest === 1;
}
