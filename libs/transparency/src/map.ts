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
import { hash } from 'node:crypto';
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
  // Two safe integers: canonical JSON written out (ASCII, so its UTF-8 is the string), without the general canonicaliser's cost.
  return hash('sha256', `{"count":${entry.count},"latest":${entry.latest}}`, 'buffer');
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

const bit = (key: Uint8Array, depth: number) => (key[depth >> 3]! >> (7 - (depth & 7))) & 1;
const leafHash = (key: Uint8Array, valueHash: Uint8Array) => sha256(LEAF, key, valueHash);

/** What the map holds for one stream, and where its leaf is in the tree (-1 before it is placed). */
interface Held {
  latest: number;
  count: number;
  node: number;
}

const NONE = -1;

/**
 * The map in memory. Counting a leaf only updates the stream's entry; the tree is brought up to
 * date when its root or a proof is read, and then only along the paths of the streams that changed,
 * so a verifier that reads the root at every checkpoint pays O(streams changed × depth) each time,
 * nothing per leaf but a Map update.
 *
 * The tree is kept as parallel arrays, one slot per node (its hash, its key for a leaf, its two
 * children for an inner node), not as an object per node: a verifier holds the map for every
 * student of a long log within a small heap (silta-audit verify runs with 96 MB).
 */
export class StreamMap {
  private readonly entries = new Map<string, Held>();
  private readonly changed = new Set<string>();
  private root = NONE;
  private nodes = 0;
  private hashes = Buffer.alloc(HASH_SIZE * 64);
  private keys = Buffer.alloc(HASH_SIZE * 64);
  private left = new Int32Array(64).fill(NONE);
  private right = new Int32Array(64).fill(NONE);
  /** 1 for a leaf node (its key in `keys`, its stream in `streams`), 0 for an inner one. */
  private leaf = new Uint8Array(64);
  /** 1 when the node's hash in `hashes` is up to date. */
  private fresh = new Uint8Array(64);
  private streams: Array<string | undefined> = [];
  private readonly scratch = Buffer.alloc(1 + 2 * HASH_SIZE);

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
    if (held) Object.assign(held, { latest: entry.latest, count: entry.count });
    else this.entries.set(stream, { latest: entry.latest, count: entry.count, node: NONE });
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
    this.entries.set(stream, { latest: index, count: 1, node: NONE });
    this.changed.add(stream);
    return null;
  }

  rootHash(): Uint8Array {
    this.settle();
    return this.root === NONE ? EMPTY : new Uint8Array(this.hashOf(this.root));
  }

  /** The proof of the stream's entry (or of its absence) against rootHash(). */
  prove(stream: string): MapProof {
    this.settle();
    const key = mapKey(stream);
    const siblings: string[] = [];
    let node = this.root;
    let terminal: MapProof['terminal'] = null;
    for (let depth = 0; node !== NONE; depth++) {
      if (this.leaf[node]) {
        const other = this.keyOf(node);
        if (!equalBytes(other, key)) terminal = { key: toHex(other), valueHash: toHex(mapValueHash(this.entries.get(this.streams[node]!)!)) };
        break;
      }
      const goRight = bit(key, depth) === 1;
      const sibling = goRight ? this.left[node]! : this.right[node]!;
      siblings.push(toBase64(sibling === NONE ? EMPTY : this.hashOf(sibling)));
      node = goRight ? this.right[node]! : this.left[node]!;
    }
    return { siblings: siblings.reverse(), ...(terminal ? { terminal } : {}) };
  }

  /** Puts the changed entries into the tree: a new stream's leaf placed, every changed path marked stale. */
  private settle(): void {
    for (const stream of this.changed) {
      const held = this.entries.get(stream)!;
      if (held.node === NONE) {
        held.node = this.newLeaf(stream);
        this.root = this.place(this.root, held.node, 0);
      } else {
        this.stale(held.node);
      }
    }
    this.changed.clear();
  }

  /** Inserts leaf node `added` into the subtree at `node` (depth `depth`); answers the subtree's new top. */
  private place(node: number, added: number, depth: number): number {
    if (node === NONE) return added;
    if (this.leaf[node]) return this.split(node, added, depth);
    this.fresh[node] = 0;
    // The child is computed before it is stored: placing it may grow (replace) the arrays.
    if (this.keyBit(added, depth) === 1) {
      const child = this.place(this.right[node]!, added, depth + 1);
      this.right[node] = child;
    } else {
      const child = this.place(this.left[node]!, added, depth + 1);
      this.left[node] = child;
    }
    return node;
  }

  /** Two leaves sharing the path down to `depth`: inner nodes until their keys' bits differ. */
  private split(a: number, b: number, depth: number): number {
    const aBit = this.keyBit(a, depth);
    const inner = this.newNode();
    if (aBit !== this.keyBit(b, depth)) {
      this.left[inner] = aBit === 0 ? a : b;
      this.right[inner] = aBit === 0 ? b : a;
    } else {
      // Computed before it is stored: the deeper split may grow (replace) the arrays.
      const below = this.split(a, b, depth + 1);
      if (aBit === 0) this.left[inner] = below;
      else this.right[inner] = below;
    }
    return inner;
  }

  /** Marks every node on the path to leaf node `target` as needing its hash recomputed. */
  private stale(target: number): void {
    let node = this.root;
    for (let depth = 0; node !== NONE; depth++) {
      this.fresh[node] = 0;
      if (this.leaf[node]) return;
      node = this.keyBit(target, depth) === 1 ? this.right[node]! : this.left[node]!;
    }
  }

  /** Bit `depth` of leaf node `node`'s key, read in place. */
  private keyBit(node: number, depth: number): number {
    return (this.keys[node * HASH_SIZE + (depth >> 3)]! >> (7 - (depth & 7))) & 1;
  }

  /** The node's hash (a view into the pool), recomputed when stale. */
  private hashOf(node: number): Buffer {
    const at = node * HASH_SIZE;
    if (!this.fresh[node]) {
      let digest: Uint8Array;
      if (this.leaf[node]) {
        this.scratch[0] = 0x00;
        this.keys.copy(this.scratch, 1, at, at + HASH_SIZE);
        this.scratch.set(mapValueHash(this.entries.get(this.streams[node]!)!), 1 + HASH_SIZE);
        digest = hash('sha256', this.scratch, 'buffer');
      } else {
        const [l, r] = [this.left[node]!, this.right[node]!];
        const left = l === NONE ? EMPTY : this.hashOf(l);
        const right = r === NONE ? EMPTY : this.hashOf(r);
        this.scratch[0] = 0x01;
        this.scratch.set(left, 1);
        this.scratch.set(right, 1 + HASH_SIZE);
        digest = hash('sha256', this.scratch, 'buffer');
      }
      this.hashes.set(digest, at);
      this.fresh[node] = 1;
    }
    return this.hashes.subarray(at, at + HASH_SIZE);
  }

  private keyOf(node: number): Buffer {
    return this.keys.subarray(node * HASH_SIZE, (node + 1) * HASH_SIZE);
  }

  private newLeaf(stream: string): number {
    const node = this.newNode();
    this.leaf[node] = 1;
    this.streams[node] = stream;
    this.keys.set(mapKey(stream), node * HASH_SIZE);
    return node;
  }

  private newNode(): number {
    if (this.nodes === this.left.length) this.grow();
    return this.nodes++;
  }

  private grow(): void {
    const capacity = this.left.length * 2;
    const widen = <T extends Int32Array | Uint8Array>(from: T, make: (n: number) => T, fill = 0): T => {
      const to = make(capacity).fill(fill) as T;
      to.set(from);
      return to;
    };
    this.left = widen(this.left, (n) => new Int32Array(n), NONE);
    this.right = widen(this.right, (n) => new Int32Array(n), NONE);
    this.leaf = widen(this.leaf, (n) => new Uint8Array(n));
    this.fresh = widen(this.fresh, (n) => new Uint8Array(n));
    for (const pool of ['hashes', 'keys'] as const) {
      const to = Buffer.alloc(capacity * HASH_SIZE);
      this[pool].copy(to);
      this[pool] = to;
    }
  }
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
