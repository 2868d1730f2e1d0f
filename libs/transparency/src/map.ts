/**
 * The per-student completeness map: a sparse Merkle tree from each audit stream (one per student)
 * to its (latest leaf index, number of leaves), whose root a checkpoint carries in an extension line.
 * With it a data subject's bundle proves not only that each of the student's events is in the log
 * but that it holds all of them up to the checkpoint. Format (docs/audit-log-format.md):
 *
 *   key      = SHA-256(UTF-8 stream id)                     256 bits, most significant bit first; 0 = left
 *   value    = UTF-8 of canonical JSON {"count":<n>,"latest":<leaf index>}
 *   leaf     = SHA-256(0x00 || key || SHA-256(value))
 *   inner    = SHA-256(0x01 || left || right)
 *   empty    = 32 zero bytes
 *
 * A subtree holding no entry hashes to `empty`; one holding exactly one entry hashes to that entry's
 * leaf, at whatever depth (the tree is compressed, as Diem's Jellyfish tree is); two or more to
 * `inner` of its halves. So the root depends only on the entries, never on the order they came in.
 * A proof lists the sibling hashes along the key's path, deepest first, down to where the path ends:
 * at the key's own leaf (inclusion) or at an empty subtree or another key's leaf (absence).
 */
import { canonicalJson } from './canonical';
import { equalBytes, fromBase64, sha256, toBase64, toHex } from './bytes';
import { HASH_SIZE } from './merkle';
import { MalformedMapProofError, MapProofError } from './errors';

/** What the map holds for one audit stream. */
export interface StreamEntry {
  /** Leaf index of the stream's newest event in the log. */
  readonly latest: number;
  /** How many leaves of the log belong to the stream. */
  readonly count: number;
}

/** A map proof as bundles carry it: base64 hashes, deepest first, and where the path ends. */
export interface MapProof {
  readonly siblings: readonly string[];
  /** For an absence proof ending at another key's leaf: that key and its value hash (hex). */
  readonly terminal?: { readonly key: string; readonly valueHash: string } | null;
}

/** The checkpoint extension line that carries the map root: `silta-student-map/v1 <base64 root>`. */
export const MAP_EXTENSION_PREFIX = 'silta-student-map/v1 ';

const EMPTY = new Uint8Array(HASH_SIZE);
const LEAF = Uint8Array.of(0x00);
const INNER = Uint8Array.of(0x01);
const UTF8 = new TextEncoder();

/** The map key of an audit stream. */
export function mapKey(stream: string): Uint8Array {
  return sha256(UTF8.encode(stream));
}

/** SHA-256 of the entry's canonical value. */
export function mapValueHash(entry: StreamEntry): Uint8Array {
  if (!Number.isSafeInteger(entry.count) || !Number.isSafeInteger(entry.latest)) return sha256(UTF8.encode(canonicalJson(entry)));
  // Two safe integers: canonical JSON written out, without the general canonicaliser's cost.
  return sha256(UTF8.encode(`{"count":${entry.count},"latest":${entry.latest}}`));
}

/** The extension line for a map root. */
export function mapExtension(root: Uint8Array): string {
  return `${MAP_EXTENSION_PREFIX}${toBase64(root)}`;
}

/** The map root a checkpoint's extension lines carry, or undefined when it has none (logs before leaf v2). */
export function mapRootOf(extensions: readonly string[]): Uint8Array | undefined {
  const line = extensions.find((text) => text.startsWith(MAP_EXTENSION_PREFIX));
  if (line === undefined) return undefined;
  const root = fromBase64(line.slice(MAP_EXTENSION_PREFIX.length));
  if (!root || root.length !== HASH_SIZE) throw new MalformedMapProofError(`the checkpoint's map line ${JSON.stringify(line)} is not a base64 32-byte root`);
  return root;
}

interface Leaf {
  readonly key: Uint8Array;
  valueHash: Uint8Array;
  hash?: Uint8Array | undefined;
}

interface Inner {
  left?: MapNode | undefined;
  right?: MapNode | undefined;
  hash?: Uint8Array | undefined;
}

type MapNode = Leaf | Inner;

const isLeaf = (node: MapNode): node is Leaf => 'key' in node;
const bit = (key: Uint8Array, depth: number) => (key[depth >> 3]! >> (7 - (depth & 7))) & 1;
const leafHash = (key: Uint8Array, valueHash: Uint8Array) => sha256(LEAF, key, valueHash);

interface Held {
  latest: number;
  count: number;
  /** mapKey(stream), computed once per stream. */
  key?: Uint8Array | undefined;
}

/**
 * The map in memory. Counting a leaf only updates the stream's entry; the tree is brought up to
 * date when its root or a proof is read, and then only along the paths of the streams that changed,
 * so a verifier that reads the root at every checkpoint pays O(streams changed × depth) each time,
 * nothing per leaf but a Map update.
 */
export class StreamMap {
  private root: MapNode | undefined;
  private readonly entries = new Map<string, Held>();
  private readonly changed = new Set<string>();

  /** Number of streams in the map. */
  get size(): number {
    return this.entries.size;
  }

  get(stream: string): StreamEntry | undefined {
    const held = this.entries.get(stream);
    return held && { latest: held.latest, count: held.count };
  }

  /** Records the stream's entry (a new stream, or its next leaf). */
  set(stream: string, entry: StreamEntry): void {
    const held = this.entries.get(stream);
    this.entries.set(stream, { latest: entry.latest, count: entry.count, key: held?.key });
    this.changed.add(stream);
  }

  /** Counts one more leaf of `stream` at `index`; answers the stream's previous leaf index (null for its first). */
  append(stream: string, index: number): number | null {
    const held = this.entries.get(stream);
    if (held) {
      const previous = held.latest;
      held.latest = index;
      held.count += 1;
      this.changed.add(stream);
      return previous;
    }
    this.entries.set(stream, { latest: index, count: 1 });
    this.changed.add(stream);
    return null;
  }

  rootHash(): Uint8Array {
    this.settle();
    return this.root ? hashOf(this.root) : EMPTY;
  }

  /** The proof of the stream's entry (or of its absence) against rootHash(). */
  prove(stream: string): MapProof {
    this.settle();
    const key = mapKey(stream);
    const siblings: Uint8Array[] = [];
    let node = this.root;
    let terminal: MapProof['terminal'] = null;
    for (let depth = 0; node !== undefined; depth++) {
      if (isLeaf(node)) {
        if (!equalBytes(node.key, key)) terminal = { key: toHex(node.key), valueHash: toHex(node.valueHash) };
        break;
      }
      const goRight = bit(key, depth) === 1;
      siblings.push(hashOrEmpty(goRight ? node.left : node.right));
      node = goRight ? node.right : node.left;
    }
    return { siblings: siblings.reverse().map(toBase64), ...(terminal ? { terminal } : {}) };
  }

  /** Puts the changed entries into the tree. */
  private settle(): void {
    for (const stream of this.changed) {
      const held = this.entries.get(stream)!;
      held.key ??= mapKey(stream);
      this.root = insert(this.root, held.key, mapValueHash(held), 0);
    }
    this.changed.clear();
  }
}

function insert(node: MapNode | undefined, key: Uint8Array, valueHash: Uint8Array, depth: number): MapNode {
  if (node === undefined) return { key, valueHash };
  if (isLeaf(node)) {
    if (equalBytes(node.key, key)) return { key, valueHash };
    return split(node, { key, valueHash }, depth);
  }
  node.hash = undefined;
  if (bit(key, depth) === 1) node.right = insert(node.right, key, valueHash, depth + 1);
  else node.left = insert(node.left, key, valueHash, depth + 1);
  return node;
}

/** Two leaves that share the path down to `depth`: inner nodes until their keys' bits differ. */
function split(a: Leaf, b: Leaf, depth: number): Inner {
  const aBit = bit(a.key, depth);
  if (aBit !== bit(b.key, depth)) return aBit === 0 ? { left: a, right: b } : { left: b, right: a };
  const below = split(a, b, depth + 1);
  return aBit === 0 ? { left: below } : { right: below };
}

function hashOrEmpty(node: MapNode | undefined): Uint8Array {
  return node === undefined ? EMPTY : hashOf(node);
}

function hashOf(node: MapNode): Uint8Array {
  if (node.hash) return node.hash;
  node.hash = isLeaf(node) ? leafHash(node.key, node.valueHash) : sha256(INNER, hashOrEmpty(node.left), hashOrEmpty(node.right));
  return node.hash;
}

/**
 * Checks a map proof for `stream` against `root`: answers the stream's entry when `entry` is given
 * and proven, or proves the stream absent when `entry` is undefined. Throws MapProofError naming
 * what failed (a proof for another stream, another root, or a tampered value).
 */
export function verifyMapProof(root: Uint8Array, stream: string, entry: StreamEntry | undefined, proof: MapProof): void {
  const key = mapKey(stream);
  const siblings = proof.siblings.map((text, i) => {
    const hash = fromBase64(text);
    if (!hash || hash.length !== HASH_SIZE) throw new MalformedMapProofError(`siblings[${i}] is not a base64 32-byte hash`);
    return hash;
  });
  if (siblings.length > 256) throw new MalformedMapProofError(`${siblings.length} siblings: a path has at most 256`);
  let hash: Uint8Array;
  if (entry !== undefined) {
    if (proof.terminal) throw new MalformedMapProofError('an inclusion proof ends at the stream\'s own leaf, not another key\'s');
    hash = leafHash(key, mapValueHash(entry));
  } else if (proof.terminal) {
    const other = fromHexStrict(proof.terminal.key, 'terminal.key');
    const value = fromHexStrict(proof.terminal.valueHash, 'terminal.valueHash');
    if (equalBytes(other, key)) throw new MapProofError(stream, 'the absence proof ends at the stream\'s own leaf');
    for (let depth = 0; depth < siblings.length; depth++) {
      if (bit(other, depth) !== bit(key, depth)) throw new MapProofError(stream, 'the absence proof ends at a leaf off the stream\'s path');
    }
    hash = leafHash(other, value);
  } else {
    hash = EMPTY;
  }
  for (let depth = siblings.length - 1; depth >= 0; depth--) {
    const sibling = siblings[siblings.length - 1 - depth]!;
    hash = bit(key, depth) === 1 ? sha256(INNER, sibling, hash) : sha256(INNER, hash, sibling);
  }
  if (!equalBytes(hash, root)) {
    const claim = entry ? `latest ${entry.latest}, count ${entry.count}` : 'absent';
    throw new MapProofError(stream, `the proof (${claim}) leads to ${toBase64(hash)}, not the checkpoint's map root ${toBase64(root)}`);
  }
}

function fromHexStrict(text: string, field: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(text)) throw new MalformedMapProofError(`${field} is not 64 lower-case hex digits`);
  return new Uint8Array(Buffer.from(text, 'hex'));
}
