/**
 * RFC 8785 JSON Canonicalization Scheme (JCS), and the leaf data of an audit event.
 *
 * Written here rather than taken from the `canonicalize` package: its current major versions are
 * ESM-only, which this CommonJS build and Jest would need extra transforms for, and RFC 8785 was
 * designed so that an ECMAScript implementation is short — numbers and strings serialise exactly
 * as `JSON.stringify` does, and object members sort by UTF-16 code units, as `<` compares.
 */
import { createHash } from 'node:crypto';
import { describeHash, equalBytes } from './bytes';
import { CanonicalJsonError, LeafHashMismatchError } from './errors';
import { leafHash } from './merkle';

/**
 * The RFC 8785 canonical JSON text of a JSON value: no whitespace, object members sorted by the
 * UTF-16 code units of their names, numbers in ECMAScript shortest round-trip form, strings with
 * only the mandatory escapes.
 *
 * Accepts null, booleans, finite numbers, well-formed strings, arrays and plain objects. Object
 * members whose value is `undefined` are left out, as `JSON.stringify` (and so both event stores)
 * leave them out. Everything else — NaN, ±Infinity, bigint, lone surrogates (I-JSON, RFC 7493),
 * `undefined` in an array or at the top, functions, symbols, Dates and other class instances,
 * cycles — throws a CanonicalJsonError naming the path (`$.data.amount`), so a value that the store
 * would silently change never gets a hash.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, '$', new Set());
}

/**
 * Lower-case hex SHA-256 of a value's RFC 8785 canonical JSON: the hash released data carries
 * (a disclosure answer's dataHash) and an audit event's payload hash recorded at append.
 */
export function canonicalJsonHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

/**
 * A version 1 leaf: only the type and payload are hashed. Logs written before leaf v2 hold these;
 * they still verify, but a bundle's stream, event id and revision beside a v1 leaf are not under its hash.
 */
export interface AuditLeafV1 {
  readonly v?: 1;
  readonly type: string;
  readonly data: unknown;
}

/**
 * A version 2 leaf: every field a bundle or replay shows is under the hash, and the leaf is chained
 * to the previous leaf of the same audit stream (one stream per student), so a student's history
 * cannot lose an event without a gap showing.
 */
export interface AuditLeafV2 {
  readonly v: 2;
  /** The event's id (a UUID as the store holds it). */
  readonly id: string;
  /** The audit stream, `audit-<studentId>`. */
  readonly stream: string;
  /** The event's revision in its stream, 0 for the first. */
  readonly revision: number;
  /** The leaf index of the stream's previous event in the log, or null for the stream's first. */
  readonly previous: number | null;
  readonly type: string;
  readonly data: unknown;
}

/** An audit event as the log hashes it; a leaf without `v` is version 1. */
export type AuditLeafEvent = AuditLeafV1 | AuditLeafV2;

/**
 * The bytes of an audit event's Merkle leaf (docs/audit-log-format.md):
 * - v1: UTF-8 of `canonicalJson({ type, data })`, exactly `{"data":<canonical data>,"type":"<type>"}`;
 * - v2: UTF-8 of `canonicalJson({ v: 2, id, stream, revision, previous, type, data })`, exactly
 *   `{"data":…,"id":"…","previous":<n>|null,"revision":<n>,"stream":"…","type":"…","v":2}`.
 * An absent `data` counts as `null`, as the stores write it. The two never collide: a v1 leaf has no
 * `v` member. A v2 leaf's `previous` is assigned by the log's order (the stream's previous leaf
 * index), so it is computed when the log is sequenced, not at append.
 */
export function leafData(event: AuditLeafEvent): Uint8Array {
  return new TextEncoder().encode(canonicalJson(leafObject(event)));
}

/** The JSON object a leaf's bytes are the canonical text of; throws CanonicalJsonError on a bad v2 field. */
export function leafObject(event: AuditLeafEvent): Record<string, unknown> {
  if (event.v !== 2) return { type: event.type, data: event.data ?? null };
  const { id, stream, revision, previous, type, data } = event;
  if (typeof id !== 'string' || typeof stream !== 'string') throw new CanonicalJsonError('$', 'a v2 leaf needs string id and stream');
  if (!Number.isSafeInteger(revision) || revision < 0) throw new CanonicalJsonError('$.revision', 'is not a whole number ≥ 0');
  if (previous !== null && (!Number.isSafeInteger(previous) || previous < 0)) throw new CanonicalJsonError('$.previous', 'is not null or a whole number ≥ 0');
  return { v: 2, id, stream, revision, previous, type, data: data ?? null };
}

/** The RFC 9162 leaf hash of an audit event: SHA-256(0x00 || leafData(event)). */
export function eventLeafHash(event: AuditLeafEvent): Uint8Array {
  return leafHash(leafData(event));
}

/**
 * Recomputes the leaf hash of the event at `index` and throws a LeafHashMismatchError naming the
 * index unless it equals the stored one; returns the recomputed hash.
 */
export function verifyLeafHash(index: number, event: AuditLeafEvent, storedLeafHash: Uint8Array): Uint8Array {
  const actual = eventLeafHash(event);
  if (!equalBytes(actual, storedLeafHash)) {
    throw new LeafHashMismatchError(index, describeHash(storedLeafHash), describeHash(actual));
  }
  return actual;
}

// A lone surrogate: in a `u` regexp a well-formed pair is one code point, so only lone ones match.
const LONE_SURROGATE = /\p{Cs}/u;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function serialise(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(path, `${String(value)} is not a JSON number`);
      // ECMAScript Number serialisation (RFC 8785 §3.2.2.3); -0 becomes "0".
      return JSON.stringify(value);
    case 'string':
      return serialiseString(value, path);
    case 'object':
      if (value === null) return 'null';
      return serialiseContainer(value, path, ancestors);
    default:
      throw new CanonicalJsonError(path, `${typeof value} is not JSON`);
  }
}

function serialiseString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) throw new CanonicalJsonError(path, 'string has a lone UTF-16 surrogate');
  // Escapes exactly \b \f \n \r \t \" \\ and other controls as \u00xx (RFC 8785 §3.2.2.2).
  return JSON.stringify(value);
}

function serialiseContainer(value: object, path: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new CanonicalJsonError(path, 'value refers to itself');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items: string[] = [];
      for (let i = 0; i < value.length; i++) {
        const itemPath = `${path}[${i}]`;
        if (value[i] === undefined) throw new CanonicalJsonError(itemPath, 'undefined is not JSON');
        items.push(serialise(value[i], itemPath, ancestors));
      }
      return `[${items.join(',')}]`;
    }
    if (!isPlainObject(value)) {
      const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new CanonicalJsonError(path, `${kind} is not a plain JSON object`);
    }
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      // `<` on strings compares UTF-16 code units, the order RFC 8785 §3.2.3 requires.
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((key) => `${serialiseString(key, `a member name in ${path}`)}:${serialise(record[key], memberPath(path, key), ancestors)}`);
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}

/**
 * An object literal's or JSON.parse's: its prototype is Object.prototype, of this realm or of
 * another (JSON a fetch parsed in another realm, as with an app under test in jest's sandbox), or none.
 */
function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  if (prototype === null || prototype === Object.prototype) return true;
  return Object.getPrototypeOf(prototype) === null && prototype.constructor?.name === 'Object';
}

function memberPath(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
