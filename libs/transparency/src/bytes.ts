import { hash } from 'node:crypto';

/**
 * SHA-256 over the concatenation of the parts. One-shot (crypto.hash): verify hashes a few nodes per
 * leaf over millions of leaves, and a Hash object per node showed in its profile.
 */
export function sha256(...parts: readonly Uint8Array[]): Uint8Array {
  const digest = hash('sha256', parts.length === 1 ? parts[0]! : Buffer.concat(parts), 'buffer');
  // A plain Uint8Array (a view, not a copy), not a Buffer, so callers and tests see one type.
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

/** Lower-case hex of the bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Standard base64 (RFC 4648 §4, padded) of the bytes. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes standard padded base64, or returns undefined. Strict where Buffer is lenient: no
 * whitespace, no URL alphabet, and only the canonical encoding (unused bits zero), so one byte
 * string has exactly one text form in a signed note.
 */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return undefined;
  return new Uint8Array(bytes);
}

/** Byte-wise equality (hashes and keys are public, so no constant-time compare is needed). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A short, readable form of a hash for error messages: hex, or a note that it is not a hash. */
export function describeHash(hash: Uint8Array): string {
  return hash.length === 32 ? toHex(hash) : `<${hash.length}-byte value>`;
}
