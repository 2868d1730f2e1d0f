import fc from 'fast-check';
import { ConsistencyProofError, InclusionProofError, OutOfRangeError } from './errors';
import { emptyRoot, leafHash, rootOf } from './merkle';
import { consistencyProof, inclusionProof, rootFromInclusionProof, verifyConsistency, verifyInclusion } from './proofs';
import { CT_LEAVES, CT_ROOTS, EDGE_SIZES, hex, syntheticLeaves, unhex } from './testing/fixtures';

const CT_LEAF_HASHES = CT_LEAVES.map(leafHash);
const ctRoot = (size: number) => unhex(CT_ROOTS[size]!);
const treeSize = (min: number, max: number) =>
  fc.oneof(fc.constantFrom(...EDGE_SIZES.filter((n) => n >= min && n <= max)), fc.integer({ min, max }));
const passes = (check: () => void): boolean => {
  try {
    check();
    return true;
  } catch (error) {
    if (error instanceof InclusionProofError || error instanceof ConsistencyProofError) return false;
    throw error;
  }
};

// Known-answer proofs over the CT reference tree. Source: transparency-dev/merkle,
// proof/verify_test.go (`inclusionProofs`, `consistencyProofs`) at commit
// 02194e9afb6c1d95b5381350007963aa70fff472. That file numbers leaves from 1; indices here are 0-based.
const INCLUSION_VECTORS = [
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  { index: 0, size: 1, proof: [] },
];

const CONSISTENCY_VECTORS = [
  { oldSize: 1, newSize: 1, proof: [] },
  {
    oldSize: 1,
    newSize: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    oldSize: 6,
    newSize: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    oldSize: 2,
    newSize: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    oldSize: 6,
    newSize: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

const SOME_HASH = unhex('abacaba000000000000000000000000000000000000000000060061e00123456');
const flipBit = (proof: Uint8Array[], i: number, bit: number) =>
  proof.map((hash, j) => (j === i ? Uint8Array.from(hash, (byte, k) => (k === 0 ? byte ^ bit : byte)) : hash));

describe('inclusion proofs against the Certificate Transparency vectors', () => {
  it.each(INCLUSION_VECTORS)('leaf $index in a tree of size $size: generates the published proof, which verifies', ({ index, size, proof }) => {
    expect(inclusionProof(CT_LEAF_HASHES, index, size).map(hex)).toEqual(proof);
    expect(() => verifyInclusion(CT_LEAF_HASHES[index]!, index, size, proof.map(unhex), ctRoot(size))).not.toThrow();
  });

  // The corruptions transparency-dev/merkle's verifierCheck tries against each vector.
  it.each(INCLUSION_VECTORS.filter((v) => v.proof.length > 0))('leaf $index in a tree of size $size: every corruption fails', ({ index, size, proof: published }) => {
    const proof = published.map(unhex);
    const leaf = CT_LEAF_HASHES[index]!;
    const root = ctRoot(size);
    const probes: [string, () => void][] = [
      ['index - 1', () => verifyInclusion(leaf, index - 1, size, proof, root)],
      ['index + 1', () => verifyInclusion(leaf, index + 1, size, proof, root)],
      ['index ^ 2', () => verifyInclusion(leaf, index ^ 2, size, proof, root)],
      ['size * 2', () => verifyInclusion(leaf, index, size * 2, proof, root)],
      ['size / 2', () => verifyInclusion(leaf, index, Math.floor(size / 2), proof, root)],
      ['wrong leaf', () => verifyInclusion(leafHash(new TextEncoder().encode('WrongLeaf')), index, size, proof, root)],
      ['empty root', () => verifyInclusion(leaf, index, size, proof, emptyRoot())],
      ['random root', () => verifyInclusion(leaf, index, size, proof, SOME_HASH)],
      ['trailing garbage', () => verifyInclusion(leaf, index, size, [...proof, new Uint8Array(0)], root)],
      ['trailing root', () => verifyInclusion(leaf, index, size, [...proof, root], root)],
      ['preceding garbage', () => verifyInclusion(leaf, index, size, [new Uint8Array(0), ...proof], root)],
      ['preceding root', () => verifyInclusion(leaf, index, size, [root, ...proof], root)],
      ['removed component', () => verifyInclusion(leaf, index, size, proof.slice(0, -1), root)],
      ['inserted component', () => verifyInclusion(leaf, index, size, [proof[0]!, SOME_HASH, ...proof.slice(1)], root)],
      ...proof.map((_, i): [string, () => void] => [`proof[${i}] bit 3 flipped`, () => verifyInclusion(leaf, index, size, flipBit(proof, i, 8), root)]),
    ];
    expect(probes.filter(([, probe]) => passes(probe)).map(([name]) => name)).toEqual([]);
  });

  it('names the leaf and the tree size, and the root the proof leads to', () => {
    const { index, size, proof } = INCLUSION_VECTORS[1]!;
    const computed = hex(rootFromInclusionProof(CT_LEAF_HASHES[index]!, index, size, proof.map(unhex)));
    expect(computed).toBe(CT_ROOTS[size]);
    expect(() => verifyInclusion(CT_LEAF_HASHES[index]!, index, size, proof.map(unhex), SOME_HASH)).toThrow(
      `inclusion proof for leaf 5 in tree of size 8 does not verify: it leads to root ${CT_ROOTS[8]}, not ${hex(SOME_HASH)}`,
    );
  });
});

describe('consistency proofs against the Certificate Transparency vectors', () => {
  it.each(CONSISTENCY_VECTORS)('from size $oldSize to $newSize: generates the published proof, which verifies', ({ oldSize, newSize, proof }) => {
    expect(consistencyProof(CT_LEAF_HASHES, oldSize, newSize).map(hex)).toEqual(proof);
    expect(() => verifyConsistency(oldSize, newSize, ctRoot(oldSize), ctRoot(newSize), proof.map(unhex))).not.toThrow();
  });

  // The corruptions transparency-dev/merkle's verifierConsistencyCheck tries against each vector.
  it.each(CONSISTENCY_VECTORS.filter((v) => v.proof.length > 0))('from size $oldSize to $newSize: every corruption fails', ({ oldSize, newSize, proof: published }) => {
    const proof = published.map(unhex);
    const [oldRoot, newRoot] = [ctRoot(oldSize), ctRoot(newSize)];
    const check = (m: number, n: number, r1: Uint8Array, r2: Uint8Array, p: Uint8Array[]) => () => verifyConsistency(m, n, r1, r2, p);
    const probes: [string, () => void][] = [
      ['old size - 1', check(oldSize - 1, newSize, oldRoot, newRoot, proof)],
      ['old size + 1', check(oldSize + 1, newSize, oldRoot, newRoot, proof)],
      ['old size ^ 2', check(oldSize ^ 2, newSize, oldRoot, newRoot, proof)],
      ['new size * 2', check(oldSize, newSize * 2, oldRoot, newRoot, proof)],
      ['new size / 2', check(oldSize, Math.floor(newSize / 2), oldRoot, newRoot, proof)],
      ['wrong old root', check(oldSize, newSize, SOME_HASH, newRoot, proof)],
      ['wrong new root', check(oldSize, newSize, oldRoot, SOME_HASH, proof)],
      ['swapped roots', check(oldSize, newSize, newRoot, oldRoot, proof)],
      ['empty proof', check(oldSize, newSize, oldRoot, newRoot, [])],
      ['trailing garbage', check(oldSize, newSize, oldRoot, newRoot, [...proof, new Uint8Array(0)])],
      ['trailing old root', check(oldSize, newSize, oldRoot, newRoot, [...proof, oldRoot])],
      ['trailing new root', check(oldSize, newSize, oldRoot, newRoot, [...proof, newRoot])],
      ['preceding garbage', check(oldSize, newSize, oldRoot, newRoot, [new Uint8Array(0), ...proof])],
      ['preceding old root', check(oldSize, newSize, oldRoot, newRoot, [oldRoot, ...proof])],
      ['preceding new root', check(oldSize, newSize, oldRoot, newRoot, [newRoot, ...proof])],
      ['preceding proof[0]', check(oldSize, newSize, oldRoot, newRoot, [proof[0]!, ...proof])],
      ['truncated proof', check(oldSize, newSize, oldRoot, newRoot, proof.slice(0, -1))],
      ...proof.map((_, i): [string, () => void] => [`proof[${i}] bit 4 flipped`, check(oldSize, newSize, oldRoot, newRoot, flipBit(proof, i, 16))]),
    ];
    expect(probes.filter(([, probe]) => passes(probe)).map(([name]) => name)).toEqual([]);
  });

  it('treats the edges the RFC leaves implicit: equal sizes and the empty old tree', () => {
    expect(passes(() => verifyConsistency(0, 0, emptyRoot(), emptyRoot(), []))).toBe(true);
    expect(passes(() => verifyConsistency(0, 8, emptyRoot(), ctRoot(8), []))).toBe(true);
    expect(passes(() => verifyConsistency(8, 8, ctRoot(8), ctRoot(8), []))).toBe(true);
    expect(passes(() => verifyConsistency(0, 8, SOME_HASH, ctRoot(8), []))).toBe(false);
    expect(passes(() => verifyConsistency(0, 8, emptyRoot(), ctRoot(8), [emptyRoot()]))).toBe(false);
    expect(passes(() => verifyConsistency(8, 8, ctRoot(8), ctRoot(7), []))).toBe(false);
    expect(passes(() => verifyConsistency(8, 8, ctRoot(8), ctRoot(8), [emptyRoot()]))).toBe(false);
    expect(passes(() => verifyConsistency(8, 7, ctRoot(8), ctRoot(7), []))).toBe(false);
  });

  it('names both sizes when a proof fails', () => {
    expect(() => verifyConsistency(6, 8, ctRoot(6), SOME_HASH, CONSISTENCY_VECTORS[2]!.proof.map(unhex))).toThrow(
      `consistency proof between 6 and 8 does not verify: it leads to new root ${CT_ROOTS[8]}, not ${hex(SOME_HASH)}`,
    );
  });
});

describe('inclusion proofs over random trees', () => {
  it("verify for every leaf, and fail for another leaf, another index or another root", () => {
    fc.assert(
      fc.property(treeSize(1, 130), fc.nat(), fc.nat(), (size, seed, shift) => {
        const leaves = syntheticLeaves(size, seed);
        const root = rootOf(leaves);
        const otherRoot = rootOf(syntheticLeaves(size, seed + 1));
        for (let index = 0; index < size; index++) {
          const proof = inclusionProof(leaves, index, size);
          expect(passes(() => verifyInclusion(leaves[index]!, index, size, proof, root))).toBe(true);
          expect(passes(() => verifyInclusion(leafHash(Uint8Array.of(index)), index, size, proof, root))).toBe(false);
          expect(passes(() => verifyInclusion(leaves[index]!, index, size, proof, otherRoot))).toBe(false);
          if (size > 1) {
            const other = (index + 1 + (shift % (size - 1))) % size; // any index but this one
            expect(passes(() => verifyInclusion(leaves[index]!, other, size, proof, root))).toBe(false);
            expect(passes(() => verifyInclusion(leaves[other]!, index, size, proof, root))).toBe(false);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('read leaves through an accessor', () => {
    const leaves = syntheticLeaves(100);
    expect(inclusionProof((i) => leaves[i]!, 37, 100).map(hex)).toEqual(inclusionProof(leaves, 37, 100).map(hex));
  });

  it('refuse a leaf outside the tree', () => {
    expect(() => inclusionProof(syntheticLeaves(8), 8, 8)).toThrow(OutOfRangeError);
    expect(() => inclusionProof(syntheticLeaves(8), 8, 8)).toThrow('leaf index 8 is outside a tree of size 8');
    expect(() => inclusionProof([], 0, 0)).toThrow(OutOfRangeError);
    expect(() => inclusionProof(syntheticLeaves(3), 0, 8)).toThrow('tree of size 8 needs 8 leaf hashes, got 3');
  });
});

describe('consistency proofs over random trees', () => {
  it('verify for every old size 0 ≤ m ≤ n, and fail against a log forked before m', () => {
    fc.assert(
      fc.property(treeSize(0, 100), fc.nat(), fc.nat(), (size, seed, pick) => {
        const leaves = syntheticLeaves(size, seed);
        const newRoot = rootOf(leaves);
        for (let m = 0; m <= size; m++) {
          const oldRoot = rootOf(leaves.slice(0, m));
          const proof = consistencyProof(leaves, m, size);
          expect(passes(() => verifyConsistency(m, size, oldRoot, newRoot, proof))).toBe(true);
          if (m === 0) continue;

          // The operator rewrites one leaf the old checkpoint already covered.
          const forked = leaves.slice();
          const changed = pick % m;
          forked[changed] = leafHash(new TextEncoder().encode(`forged ${changed}`));
          const forkedNewRoot = rootOf(forked);
          const forkedProof = consistencyProof(forked, m, size);
          expect(passes(() => verifyConsistency(m, size, oldRoot, forkedNewRoot, forkedProof))).toBe(false);
          expect(passes(() => verifyConsistency(m, size, oldRoot, forkedNewRoot, proof))).toBe(false);
          expect(passes(() => verifyConsistency(m, size, rootOf(forked.slice(0, m)), newRoot, proof))).toBe(false);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('verify for every pair of sizes up to 40, exhaustively', () => {
    const leaves = syntheticLeaves(40);
    const roots = Array.from({ length: 41 }, (_, n) => rootOf(leaves.slice(0, n)));
    const failures: string[] = [];
    for (let n = 0; n <= 40; n++) {
      for (let m = 0; m <= n; m++) {
        if (!passes(() => verifyConsistency(m, n, roots[m]!, roots[n]!, consistencyProof(leaves, m, n)))) failures.push(`${m}→${n}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuse an old size larger than the new one', () => {
    expect(() => consistencyProof(syntheticLeaves(8), 9, 8)).toThrow('old tree size 9 is larger than new tree size 8');
  });
});
