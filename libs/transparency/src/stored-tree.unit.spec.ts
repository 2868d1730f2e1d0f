import fc from 'fast-check';
import {
  MerkleFrontier,
  PerfectSubtreeLevels,
  OutOfRangeError,
  consistencyProof,
  consistencyProofRanges,
  foldSubtrees,
  inclusionProof,
  inclusionProofRanges,
  leafHash,
  perfectSubtreesOf,
  rootOf,
  subtreeKey,
  type HashedSubtree,
  type LeafRange,
} from './index';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(new TextEncoder().encode(`leaf ${i}`)));

/** Every perfect subtree the frontier reports while n leaves are appended, by key. */
function storedTree(hashes: readonly Uint8Array[]): Map<string, Uint8Array> {
  const frontier = new MerkleFrontier();
  const nodes = new Map<string, Uint8Array>();
  for (const hash of hashes) for (const node of frontier.append(hash)) nodes.set(subtreeKey(node), node.hash);
  return nodes;
}

/** A range's hash from the stored perfect subtrees alone. */
const fromStore = (nodes: Map<string, Uint8Array>) => (range: LeafRange) =>
  foldSubtrees(perfectSubtreesOf(range).map((node) => nodes.get(subtreeKey(node))!));

const sizes = fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constantFrom(1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65));

describe('a tree stored as its perfect subtrees', () => {
  it('the frontier reports each perfect subtree once, with the hash of its leaves', () => {
    const hashes = leaves(37);
    const reported: HashedSubtree[] = [];
    const frontier = new MerkleFrontier();
    for (const hash of hashes) reported.push(...frontier.append(hash));
    // 37 leaves hold 37 + 18 + 9 + 4 + 2 + 1 perfect subtrees.
    expect(reported).toHaveLength(71);
    expect(new Set(reported.map(subtreeKey)).size).toBe(71);
    for (const node of reported) {
      const width = 2 ** node.level;
      expect(node.hash).toEqual(rootOf(hashes.slice(node.index * width, (node.index + 1) * width)));
    }
  });

  it('gives every inclusion proof and root the leaves give', () => {
    fc.assert(
      fc.property(sizes, fc.nat(), (n, pick) => {
        const hashes = leaves(n);
        const lookup = fromStore(storedTree(hashes));
        const index = pick % n;
        expect(inclusionProofRanges(index, n).map(lookup)).toEqual(inclusionProof(hashes, index, n));
        expect(lookup({ start: 0, end: n })).toEqual(rootOf(hashes));
      }),
      { numRuns: 150 },
    );
  });

  it('gives every consistency proof the leaves give', () => {
    fc.assert(
      fc.property(sizes, fc.nat(), (n, pick) => {
        const hashes = leaves(n);
        const lookup = fromStore(storedTree(hashes));
        const oldSize = pick % (n + 1);
        expect(consistencyProofRanges(oldSize, n).map(lookup)).toEqual(consistencyProof(hashes, oldSize, n));
      }),
      { numRuns: 150 },
    );
  });

  it('splits a range into its binary digits and refuses one that is not aligned', () => {
    expect(perfectSubtreesOf({ start: 8, end: 15 })).toEqual([
      { level: 2, index: 2 },
      { level: 1, index: 6 },
      { level: 0, index: 14 },
    ]);
    expect(() => perfectSubtreesOf({ start: 2, end: 6 })).toThrow(OutOfRangeError);
    expect(() => perfectSubtreesOf({ start: 3, end: 3 })).toThrow(OutOfRangeError);
  });
});

describe('PerfectSubtreeLevels', () => {
  it('gives every root and inclusion proof the direct computation gives, for trees of 1 to 40 leaves', () => {
    const all = Array.from({ length: 40 }, (_, i) => leafHash(Uint8Array.of(i, i >> 8)));
    for (let size = 1; size <= all.length; size++) {
      const leaves = all.slice(0, size);
      const tree = new PerfectSubtreeLevels(Buffer.concat(leaves));
      expect(tree.size).toBe(size);
      expect(Buffer.from(tree.rangeHashes([{ start: 0, end: size }])[0]!)).toEqual(Buffer.from(rootOf(leaves)));
      for (let index = 0; index < size; index++) {
        expect(tree.rangeHashes(inclusionProofRanges(index, size)).map((hash) => Buffer.from(hash).toString('hex'))).toEqual(
          inclusionProof(leaves, index, size).map((hash) => Buffer.from(hash).toString('hex')),
        );
      }
    }
  });
});
