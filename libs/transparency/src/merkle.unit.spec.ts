import fc from 'fast-check';
import { MalformedFrontierError, RootMismatchError } from './errors';
import { MerkleFrontier, emptyRoot, leafHash, nodeHash, rootOf } from './merkle';
import { CT_LEAVES, CT_ROOTS, EDGE_SIZES, hex, syntheticLeaves } from './testing/fixtures';

const treeSize = (max: number) =>
  fc.oneof(fc.constantFrom(...EDGE_SIZES.filter((n) => n <= max)), fc.integer({ min: 0, max }));

describe('RFC 9162 Merkle Tree Hash', () => {
  it('hashes the empty tree to SHA-256 of the empty string', () => {
    expect(hex(emptyRoot())).toBe(CT_ROOTS[0]);
    expect(hex(rootOf([]))).toBe(CT_ROOTS[0]);
  });

  it('prefixes leaves with 0x00 and nodes with 0x01, so a node cannot pass for a leaf', () => {
    const [a, b] = [leafHash(CT_LEAVES[0]!), leafHash(CT_LEAVES[1]!)];
    expect(hex(a)).toBe(CT_ROOTS[1]); // a one-leaf tree's root is its leaf hash
    expect(hex(nodeHash(a, b))).toBe(CT_ROOTS[2]);
    expect(hex(leafHash(new Uint8Array([...a, ...b])))).not.toBe(hex(nodeHash(a, b)));
  });

  it('matches the Certificate Transparency reference root at every size 0..8', () => {
    const leaves = CT_LEAVES.map(leafHash);
    for (let n = 0; n <= 8; n++) expect([n, hex(rootOf(leaves.slice(0, n)))]).toEqual([n, CT_ROOTS[n]]);
  });

  it('reads leaves through an accessor as well as from an array', () => {
    const leaves = CT_LEAVES.map(leafHash);
    expect(hex(rootOf((i) => leaves[i]!, 5))).toBe(CT_ROOTS[5]);
  });
});

describe('MerkleFrontier', () => {
  it('gives the reference root at every size as the CT leaves stream in', () => {
    const frontier = new MerkleFrontier();
    expect(hex(frontier.root())).toBe(CT_ROOTS[0]);
    CT_LEAVES.forEach((leaf, i) => {
      frontier.append(leafHash(leaf));
      expect([frontier.size, hex(frontier.root())]).toEqual([i + 1, CT_ROOTS[i + 1]]);
    });
  });

  it('equals rootOf at every size, including the edges around powers of two', () => {
    fc.assert(
      fc.property(treeSize(300), fc.nat(), (size, seed) => {
        const leaves = syntheticLeaves(size, seed);
        const frontier = new MerkleFrontier();
        for (let n = 0; n <= size; n++) {
          expect(hex(frontier.root())).toBe(hex(rootOf(leaves.slice(0, n))));
          if (n < size) frontier.append(leaves[n]!);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('stores one hash per set bit of the size, so memory stays logarithmic', () => {
    const frontier = new MerkleFrontier();
    for (const leaf of syntheticLeaves(1000)) frontier.append(leaf);
    // 1000 = 0b1111101000: six perfect subtrees of 512, 256, 128, 64, 32 and 8 leaves.
    expect(frontier.toJSON().hashes).toHaveLength(6);
    expect(hex(frontier.root())).toBe(hex(rootOf(syntheticLeaves(1000))));
  });

  it('survives a JSON round trip at any size and keeps growing to the same roots', () => {
    fc.assert(
      fc.property(treeSize(200), fc.integer({ min: 0, max: 40 }), (size, more) => {
        const leaves = syntheticLeaves(size + more);
        const frontier = new MerkleFrontier();
        leaves.slice(0, size).forEach((leaf) => frontier.append(leaf));
        const restored = MerkleFrontier.fromJSON(JSON.parse(JSON.stringify(frontier)));
        expect(restored.size).toBe(size);
        expect(hex(restored.root())).toBe(hex(frontier.root()));
        leaves.slice(size).forEach((leaf) => restored.append(leaf));
        expect(hex(restored.root())).toBe(hex(rootOf(leaves)));
      }),
      { numRuns: 60 },
    );
  });

  it('branches independently when cloned', () => {
    const frontier = new MerkleFrontier();
    syntheticLeaves(5).forEach((leaf) => frontier.append(leaf));
    const branch = frontier.clone();
    branch.append(syntheticLeaves(1, 9)[0]!);
    expect(frontier.size).toBe(5);
    expect(hex(frontier.root())).toBe(hex(rootOf(syntheticLeaves(5))));
  });

  it('names the size when the root is not the expected one', () => {
    const frontier = new MerkleFrontier();
    syntheticLeaves(1000).forEach((leaf) => frontier.append(leaf));
    expect(() => frontier.verifyRoot(frontier.root())).not.toThrow();
    const wrong = rootOf(syntheticLeaves(1000, 1));
    expect(() => frontier.verifyRoot(wrong)).toThrow(RootMismatchError);
    expect(() => frontier.verifyRoot(wrong)).toThrow(/^root mismatch at size 1000: expected [0-9a-f]{64}, computed [0-9a-f]{64}$/);
  });

  it.each([
    ['not an object', 'x', /not an object/],
    ['a fractional size', { size: 1.5, hashes: [] }, /size 1.5 is not a whole number/],
    ['too few hashes for the size', { size: 3, hashes: [Buffer.alloc(32).toString('base64')] }, /size 3 needs 2 subtree hashes, got 1/],
    ['a hash of the wrong length', { size: 1, hashes: [Buffer.alloc(31).toString('base64')] }, /hashes\[0\] is not a base64 32-byte hash/],
    ['a hash that is not base64', { size: 1, hashes: ['not base64!'] }, /hashes\[0\]/],
  ])('refuses a serialised frontier with %s', (_, json, message) => {
    expect(() => MerkleFrontier.fromJSON(json)).toThrow(MalformedFrontierError);
    expect(() => MerkleFrontier.fromJSON(json)).toThrow(message);
  });

  it('refuses a leaf hash that is not 32 bytes', () => {
    expect(() => new MerkleFrontier().append(new Uint8Array(31))).toThrow(/leaf 0 has no 32-byte leaf hash/);
  });
});
