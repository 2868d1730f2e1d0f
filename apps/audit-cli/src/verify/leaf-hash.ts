/**
 * The leaf hash of a stored audit event, computed fast for `verify`, which hashes every event of
 * the log. It gives exactly eventLeafHash's bytes (RFC 8785 canonical JSON of { data, type }, then
 * SHA-256(0x00 || utf8)) for the values a store hands back, which come from JSON.parse: plain
 * objects, arrays, strings, finite numbers, booleans and null. Anything else — a value JSON cannot
 * hold, a lone surrogate, very deep nesting — goes to @silta/transparency's eventLeafHash, which
 * stays the reference and names what is wrong. The profile of verify over a million events showed
 * the reference canonicaliser's per-member bookkeeping (paths, sets, filters) as its largest cost.
 */
import { createHash } from 'node:crypto';
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
