import { createHash } from 'node:crypto';
import { MapProofError, StreamMap, mapExtension, mapRootOf, verifyMapProof, type StreamEntry } from './index';

const sha = (...parts: Uint8Array[]) => {
  const hash = createHash('sha256');
  parts.forEach((part) => hash.update(part));
  return new Uint8Array(hash.digest());
};

/** The map's root straight from its definition (docs/audit-log-format.md), over the whole entry set. */
function referenceRoot(entries: ReadonlyMap<string, StreamEntry>): Uint8Array {
  const leaves = [...entries].map(([stream, entry]) => ({
    key: sha(Buffer.from(stream, 'utf8')),
    value: sha(Buffer.from(`{"count":${entry.count},"latest":${entry.latest}}`, 'utf8')),
  }));
  const bitOf = (key: Uint8Array, depth: number) => (key[depth >> 3]! >> (7 - (depth % 8))) & 1;
  const subtree = (set: typeof leaves, depth: number): Uint8Array => {
    if (set.length === 0) return new Uint8Array(32);
    if (set.length === 1) return sha(Uint8Array.of(0), set[0]!.key, set[0]!.value);
    const left = subtree(set.filter((leaf) => bitOf(leaf.key, depth) === 0), depth + 1);
    const right = subtree(set.filter((leaf) => bitOf(leaf.key, depth) === 1), depth + 1);
    return sha(Uint8Array.of(1), left, right);
  };
  return subtree(leaves, 0);
}

function filled(streams: number, leaves: number): { map: StreamMap; entries: Map<string, StreamEntry> } {
  const map = new StreamMap();
  for (let index = 0; index < leaves; index++) map.append(`audit-student-${(index * 7) % streams}`, index);
  const entries = new Map<string, StreamEntry>();
  for (let index = 0; index < leaves; index++) {
    const stream = `audit-student-${(index * 7) % streams}`;
    entries.set(stream, { latest: index, count: (entries.get(stream)?.count ?? 0) + 1 });
  }
  return { map, entries };
}

describe('the per-student completeness map', () => {
  it('has the root its definition gives, however the entries came in, and the empty map has the zero root', () => {
    expect(Buffer.from(new StreamMap().rootHash())).toEqual(Buffer.alloc(32));
    const { map, entries } = filled(37, 300);
    expect(Buffer.from(map.rootHash()).toString('hex')).toBe(Buffer.from(referenceRoot(entries)).toString('hex'));

    const reversed = new StreamMap();
    [...entries].reverse().forEach(([stream, entry]) => reversed.set(stream, entry));
    expect(Buffer.from(reversed.rootHash())).toEqual(Buffer.from(map.rootHash()));
  });

  it('recomputes the root after updates (reading it in between does not freeze an old hash)', () => {
    const { map, entries } = filled(10, 50);
    map.rootHash();
    map.append('audit-student-3', 50);
    entries.set('audit-student-3', { latest: 50, count: entries.get('audit-student-3')!.count + 1 });
    expect(Buffer.from(map.rootHash())).toEqual(Buffer.from(referenceRoot(entries)));
  });

  it('proves every stream\'s entry and the absence of a stream it does not hold', () => {
    const { map, entries } = filled(50, 400);
    const root = map.rootHash();
    for (const [stream, entry] of entries) verifyMapProof(root, stream, entry, map.prove(stream));
    verifyMapProof(root, 'audit-nobody', undefined, map.prove('audit-nobody'));
  });

  it('refuses a proof for another stream, another root, a changed entry, or an absence that is not one', () => {
    const { map, entries } = filled(50, 400);
    const root = map.rootHash();
    const entry = entries.get('audit-student-1')!;
    const proof = map.prove('audit-student-1');
    expect(() => verifyMapProof(root, 'audit-student-2', entry, proof)).toThrow(MapProofError);
    expect(() => verifyMapProof(root, 'audit-student-1', { ...entry, count: entry.count - 1 }, proof)).toThrow(MapProofError);
    expect(() => verifyMapProof(root, 'audit-student-1', { ...entry, latest: entry.latest - 7 }, proof)).toThrow(MapProofError);
    expect(() => verifyMapProof(root, 'audit-student-1', undefined, proof)).toThrow(MapProofError);

    const older = filled(50, 399).map.rootHash();
    expect(() => verifyMapProof(older, 'audit-student-1', entry, proof)).toThrow(/not the checkpoint's map root/);
  });

  it('carries its root in one checkpoint extension line', () => {
    const root = filled(3, 9).map.rootHash();
    expect(Buffer.from(mapRootOf(['other', mapExtension(root)])!)).toEqual(Buffer.from(root));
    expect(mapRootOf([])).toBeUndefined();
  });
});
