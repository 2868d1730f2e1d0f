/**
 * The leaf hash of a stored audit event, computed fast for `verify`, which hashes every event of
 * the log. It gives exactly eventLeafHash's bytes (RFC 8785 canonical JSON of { data, type }, then
 * SHA-256(0x00 || utf8)) for the values a store hands back, which come from JSON.parse: plain
 * objects, arrays, strings, finite numbers, booleans and null. Anything else — a value JSON cannot
 * hold, a lone surrogate, very deep nesting — goes to @silta/transparency's eventLeafHash, which
 * stays the reference and names what is wrong. The profile of verify over a million events showed
 * the reference canonicaliser's per-member bookkeeping (paths, sets, filters) as its largest cost.
 */
import { createHash, hash } from 'node:crypto';
import { eventLeafHash, type AuditLeafEvent } from '@silta/transparency';

const LEAF_PREFIX = Buffer.from([0x00]);
const MAX_DEPTH = 200;
/** Thrown inside the fast path when a value needs the reference implementation. */
const NOT_PLAIN = Symbol('not plain JSON');

/** SHA-256(0x00 || canonical leaf data) of the event; identical to eventLeafHash. */
export function fastEventLeafHash(event: AuditLeafEvent): Uint8Array {
  let text: string;
  try {
    text = `{"data":${canonical(event.data ?? null, 0)},"type":${canonicalString(event.type)}}`;
  } catch (error) {
    if (error === NOT_PLAIN) return eventLeafHash(event);
    throw error;
  }
  return new Uint8Array(createHash('sha256').update(LEAF_PREFIX).update(text, 'utf8').digest());
}

function canonical(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return canonicalString(value);
    case 'number':
      if (!Number.isFinite(value)) throw NOT_PLAIN;
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (depth > MAX_DEPTH) throw NOT_PLAIN;
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += canonical(value[i], depth + 1);
        }
        return `${out}]`;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) throw NOT_PLAIN;
      const record = value as Record<string, unknown>;
      // Default sort compares UTF-16 code units, the member order RFC 8785 §3.2.3 requires.
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const member = record[key];
        if (member === undefined) throw NOT_PLAIN;
        if (!first) out += ',';
        first = false;
        out += `${canonicalName(key)}:${canonical(member, depth + 1)}`;
      }
      return `${out}}`;
    }
    default:
      throw NOT_PLAIN;
  }
}

/** Member names repeat across events: their canonical text is kept (bounded, names are few). */
const quotedNames = new Map<string, string>();

function canonicalName(name: string): string {
  let quoted = quotedNames.get(name);
  if (quoted === undefined) {
    quoted = canonicalString(name);
    if (quotedNames.size < 10_000) quotedNames.set(name, quoted);
  }
  return quoted;
}

/**
 * Printable ASCII other than `"` and `\` needs no escape, so most strings are just quoted; the rest
 * go through JSON.stringify, which escapes exactly what RFC 8785 §3.2.2.2 requires and writes a lone
 * surrogate as a `\udXXX` escape — the reference rejects those, so any such escape goes there.
 */
function canonicalString(value: string): string {
  let plain = true;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) {
      plain = false;
      break;
    }
  }
  if (plain) return `"${value}"`;
  const text = JSON.stringify(value);
  if (text.includes('\\ud')) throw NOT_PLAIN;
  return text;
}

/**
 * True only when `text` is RFC 8785 canonical JSON, so that JSON.parse then canonicalJson gives
 * `text` back: no whitespace, object members in strictly ascending UTF-16 order (so no duplicates),
 * numbers in ECMAScript shortest form, strings with only the mandatory escapes and no lone
 * surrogates. Conservative: it answers false for a few canonical texts too (a `\u` escape, a member
 * name with an escape or a surrogate, nesting deeper than MAX_TEXT_DEPTH) — a false only sends the
 * caller to the exact path. One pass over the characters, allocating only member names.
 */
export function isCanonicalJsonText(text: string): boolean {
  // Without a backslash, control character or surrogate anywhere (one native regex test), every
  // string ends at the next quote and needs no look at its characters: indexOf finds it.
  plainStrings = !NEEDS_CHARACTER_SCAN.test(text);
  const end = scanValue(text, 0, 0);
  return end === text.length;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const NEEDS_CHARACTER_SCAN = /[\u0000-\u001f\\\ud800-\udfff]/;
let plainStrings = false;

const MAX_TEXT_DEPTH = 100;
/** A scan position that no text reaches: the text is not (provably) canonical. */
const NO = -1;

function scanValue(text: string, at: number, depth: number): number {
  const code = text.charCodeAt(at);
  switch (code) {
    case 0x7b: // {
      return depth >= MAX_TEXT_DEPTH ? NO : scanObject(text, at + 1, depth + 1);
    case 0x5b: // [
      return depth >= MAX_TEXT_DEPTH ? NO : scanArray(text, at + 1, depth + 1);
    case 0x22: // "
      return scanString(text, at + 1);
    case 0x74: // t
      return text.startsWith('true', at) ? at + 4 : NO;
    case 0x66: // f
      return text.startsWith('false', at) ? at + 5 : NO;
    case 0x6e: // n
      return text.startsWith('null', at) ? at + 4 : NO;
    default:
      return code === 0x2d || (code >= 0x30 && code <= 0x39) ? scanNumber(text, at) : NO;
  }
}

function scanObject(text: string, at: number, depth: number): number {
  if (text.charCodeAt(at) === 0x7d) return at + 1;
  let previous: string | undefined;
  for (;;) {
    if (text.charCodeAt(at) !== 0x22) return NO;
    const nameEnd = scanName(text, at + 1);
    if (nameEnd === NO) return NO;
    const name = text.slice(at + 1, nameEnd - 1);
    if (previous !== undefined && !(previous < name)) return NO;
    previous = name;
    if (text.charCodeAt(nameEnd) !== 0x3a) return NO; // :
    at = scanValue(text, nameEnd + 1, depth);
    if (at === NO) return NO;
    const next = text.charCodeAt(at);
    if (next === 0x7d) return at + 1;
    if (next !== 0x2c) return NO;
    at += 1;
  }
}

function scanArray(text: string, at: number, depth: number): number {
  if (text.charCodeAt(at) === 0x5d) return at + 1;
  for (;;) {
    at = scanValue(text, at, depth);
    if (at === NO) return NO;
    const next = text.charCodeAt(at);
    if (next === 0x5d) return at + 1;
    if (next !== 0x2c) return NO;
    at += 1;
  }
}

/** A member name without escapes or surrogates (anything else: NO); returns the index after its closing quote. */
function scanName(text: string, at: number): number {
  if (plainStrings) {
    const close = text.indexOf('"', at);
    return close === -1 ? NO : close + 1;
  }
  for (; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x22) return at + 1;
    if (code < 0x20 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return NO;
  }
  return NO;
}

/** A string's body; returns the index after its closing quote. */
function scanString(text: string, at: number): number {
  if (plainStrings) {
    const close = text.indexOf('"', at);
    return close === -1 ? NO : close + 1;
  }
  for (; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x22) return at + 1;
    if (code < 0x20) return NO;
    if (code === 0x5c) {
      // The escapes JSON.stringify writes for these; `\/` and `\uXXXX` are not taken here.
      const escaped = text.charCodeAt(at + 1);
      if (escaped !== 0x22 && escaped !== 0x5c && escaped !== 0x62 && escaped !== 0x66 && escaped !== 0x6e && escaped !== 0x72 && escaped !== 0x74) return NO;
      at += 1;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      // Only a high surrogate followed by a low one: a lone surrogate cannot be canonical.
      const low = text.charCodeAt(at + 1);
      if (code > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) return NO;
      at += 1;
    }
  }
  return NO;
}

function scanNumber(text: string, start: number): number {
  let at = start;
  let digitsOnly = true;
  for (; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code >= 0x30 && code <= 0x39) continue;
    if (code === 0x2d || code === 0x2b || code === 0x2e || code === 0x65 || code === 0x45) {
      digitsOnly = false;
      continue;
    }
    break;
  }
  const length = at - start;
  // A plain integer below 2^53 without a leading zero is its own shortest form.
  if (digitsOnly && length <= 15 && (length === 1 || text.charCodeAt(start) !== 0x30)) return at;
  const token = text.slice(start, at);
  return String(Number(token)) === token ? at : NO;
}

/** A v2 leaf's fields besides type and data (docs/audit-log-format.md). */
export interface LeafPlace {
  readonly id: string;
  readonly stream: string;
  readonly revision: number;
  readonly previous: number | null;
}

/**
 * The leaf hash of an event whose payload is given as stored JSON text, without parsing it:
 * lower-case hex of SHA-256(0x00 || leaf data) with the text spliced in as `data` — the v1 leaf
 * `{"data":<text>,"type":<type>}`, or with `place` the v2 leaf — which is eventLeafHash's when the
 * text is canonical. Undefined when that cannot be shown cheaply (isCanonicalJsonText, or a type,
 * id or stream with characters that need escaping): the caller then parses and takes the exact path.
 */
export function storedTextLeafHash(type: string, dataText: string, place?: LeafPlace): string | undefined {
  if (!isPlainText(type) || (place && !(isPlainText(place.id) && isPlainText(place.stream)))) return undefined;
  if (!isCanonicalJsonText(dataText)) return undefined;
  // One-shot hash of 0x00 (U+0000 in UTF-8) and the leaf data: no Hash object per event.
  return hash('sha256', splicedLeaf(type, dataText, place), 'hex');
}

/**
 * The v2 leaf hash with the stored text spliced in as `data` as it is, not shown canonical: the
 * leaf's true hash when the text is canonical, and otherwise a hash no checkpoint signed. It is
 * sound to accept only where a signed root is then recomputed over it: a root that matches means
 * every spliced leaf was byte for byte the canonical leaf the checkpointer hashed (the fields after
 * `data` are verify's own or plain text without quotes, so the text cannot have absorbed them).
 * Undefined when the type, id or stream needs escaping.
 */
export function splicedV2LeafHash(type: string, dataText: string, place: LeafPlace): Uint8Array | undefined {
  if (!isPlainText(type) || !isPlainText(place.id) || !isPlainText(place.stream)) return undefined;
  // Through hex: measured a little faster than a 'buffer' digest, whose every result is a new backing store.
  return new Uint8Array(Buffer.from(hash('sha256', splicedLeaf(type, dataText, place), 'hex'), 'hex'));
}

/** 0x00 (U+0000 in UTF-8) and the leaf data with `dataText` spliced in; type, id and stream plain. */
function splicedLeaf(type: string, dataText: string, place?: LeafPlace): string {
  if (!place) return `\u0000{"data":${dataText},"type":"${type}"}`;
  const { id, stream, revision, previous } = place;
  return `\u0000{"data":${dataText},"id":"${id}","previous":${previous},"revision":${revision},"stream":"${stream}","type":"${type}","v":2}`;
}

/** Printable ASCII other than `"` and `\`: a string canonical JSON writes as it is, between quotes. */
function isPlainText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}
