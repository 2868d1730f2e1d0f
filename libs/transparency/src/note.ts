/**
 * C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys, and transparency-log
 * checkpoints (https://c2sp.org/tlog-checkpoint), compatible with golang.org/x/mod/sumdb/note.
 *
 *   note      = text "\n" 1*signature-line          (text is non-empty and ends in "\n")
 *   signature = "— " key-name " " base64(key hash (4 bytes, big-endian) || Ed25519 signature)
 *   key hash  = SHA-256(key-name || "\n" || 0x01 || 32-byte public key)[:4]
 *   verifier  = key-name "+" hex(key hash) "+" base64(0x01 || public key)
 *   signer    = "PRIVATE+KEY+" key-name "+" hex(key hash) "+" base64(0x01 || 32-byte seed)
 *
 * The signed message is the UTF-8 text, final newline included, separating blank line excluded.
 */
import { createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { equalBytes, fromBase64, sha256, toBase64, toHex } from './bytes';
import {
  AmbiguousKeyError,
  BadSignatureError,
  MalformedCheckpointError,
  MalformedCosignatureError,
  MalformedKeyError,
  MalformedNoteError,
  UnknownKeyError,
  WrongOriginError,
} from './errors';
import { HASH_SIZE } from './merkle';

/** The signature type byte C2SP assigns to Ed25519. */
const ALG_ED25519 = 0x01;
// DER headers that wrap a raw 32-byte Ed25519 seed (PKCS#8) or public key (SPKI) for node:crypto.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const SIGNATURE_PREFIX = '\u2014 '; // em dash, space
/** Most signatures a note may carry; C2SP asks for at least 16, Go's reference allows 100. */
const MAX_SIGNATURES = 100;
const PRIVATE_KEY_PREFIX = 'PRIVATE+KEY+';
const KEY_HASH = /^[0-9a-f]{8}$/;
const LONE_SURROGATE = /\p{Cs}/u;
const UTF8 = new TextEncoder();

/** True when `name` can name a key: non-empty, no Unicode spaces, no "+", no control characters. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\p{Cc}]/u.test(name) && !LONE_SURROGATE.test(name);
}

/** A verifier key taken apart. */
export interface VerifierKey {
  readonly name: string;
  /** The 4-byte key hash as 8 lower-case hex digits. */
  readonly keyHash: string;
  /** The raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** `name+keyHash`, how errors and reports name the key. */
  readonly id: string;
}

interface SignerKey extends VerifierKey {
  readonly privateKey: KeyObject;
}

/** A new random Ed25519 signer key string for `name` (keep it secret; share verifierKeyOf it). */
export function generateSignerKey(name: string): string {
  if (!isValidKeyName(name)) throw new MalformedKeyError(`key name ${JSON.stringify(name)} is empty or has spaces or "+"`);
  return formatSignerKey(name, new Uint8Array(randomBytes(32)));
}

/** The signer key string for `name` with the given 32-byte Ed25519 seed (for keys held elsewhere). */
export function formatSignerKey(name: string, seed: Uint8Array): string {
  if (!isValidKeyName(name)) throw new MalformedKeyError(`key name ${JSON.stringify(name)} is empty or has spaces or "+"`);
  if (seed.length !== 32) throw new MalformedKeyError(`an Ed25519 seed is 32 bytes, got ${seed.length}`);
  const publicKey = publicKeyOfSeed(seed);
  return `${PRIVATE_KEY_PREFIX}${name}+${keyHashOf(name, publicKey)}+${toBase64(withAlgorithm(seed))}`;
}

/** The public verifier key string that matches a signer key string. */
export function verifierKeyOf(signerKey: string): string {
  const key = parseSignerKey(signerKey);
  return `${key.name}+${key.keyHash}+${toBase64(withAlgorithm(key.publicKey))}`;
}

/** Parses and checks a verifier key string; throws MalformedKeyError naming the problem. */
export function parseVerifierKey(verifierKey: string): VerifierKey {
  const [name, keyHash, encoded] = splitKey(verifierKey);
  const publicKey = decodeKeyMaterial(encoded, name);
  if (keyHashOf(name, publicKey) !== keyHash) {
    throw new MalformedKeyError(`key hash ${keyHash} of ${name} does not match its public key`);
  }
  return { name, keyHash, publicKey, id: `${name}+${keyHash}` };
}

/** Signs a note body (text ending in a newline) and returns the signed note. */
export function signNote(body: string, signerKey: string): string {
  checkText(body);
  return `${body}\n${signatureLine(body, parseSignerKey(signerKey))}`;
}

/**
 * Adds the signer's signature to an already signed note (a cosignature, such as the other party
 * countersigning a checkpoint), replacing any earlier signature by the same key. It does not check
 * the existing signatures: open the note with the keys you trust before you cosign it.
 */
export function addSignature(note: string, signerKey: string): string {
  const key = parseSignerKey(signerKey);
  const parsed = parseNote(note);
  const others = parsed.signatures.filter((signature) => signature.id !== key.id).map((signature) => signature.line);
  return `${parsed.body}\n${others.join('')}${signatureLine(parsed.body, key)}`;
}

/** A note whose signatures checked out. */
export interface OpenedNote {
  /** The note text, final newline included. */
  readonly body: string;
  /** Names of the trusted keys whose signatures verified, in note order. */
  readonly verifiedBy: readonly string[];
  /** Signatures by keys not among the verifier keys (`name+hash`), ignored as C2SP requires. */
  readonly unknownKeys: readonly string[];
}

/**
 * Verifies a signed note against trusted verifier keys. Signatures by unknown keys are ignored;
 * a signature by a trusted key that fails rejects the whole note (BadSignatureError); a note with
 * no signature by a trusted key is rejected (UnknownKeyError); bad syntax is a MalformedNoteError.
 */
export function openNote(note: string | Uint8Array, verifierKeys: readonly string[]): OpenedNote {
  return open(note, verifierKeys, 'note');
}

/** A transparency-log checkpoint: the tree head of one log at one size. */
export interface Checkpoint {
  /** The log's identity, e.g. `silta.example/welfare-area/audit`. */
  readonly origin: string;
  readonly size: number;
  /** The RFC 9162 root hash at `size` (32 bytes). */
  readonly root: Uint8Array;
  /** Optional opaque lines after the root (non-empty, no newlines). */
  readonly extensions?: readonly string[];
}

/** The checkpoint note body: origin, decimal size, base64 root, then any extension lines. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, root, extensions = [] } = checkpoint;
  if (origin.length === 0 || !isSingleLine(origin)) throw new MalformedCheckpointError('origin must be one non-empty line');
  if (!Number.isSafeInteger(size) || size < 0) throw new MalformedCheckpointError(`tree size ${String(size)} is not a whole number ≥ 0`);
  if (root.length !== HASH_SIZE) throw new MalformedCheckpointError(`root hash is ${root.length} bytes, not ${HASH_SIZE}`);
  extensions.forEach((line, i) => {
    if (line.length === 0 || !isSingleLine(line)) throw new MalformedCheckpointError(`extension line ${i + 1} must be one non-empty line`);
  });
  return [origin, String(size), toBase64(root), ...extensions].map((line) => `${line}\n`).join('');
}

/** Parses a checkpoint note body; throws MalformedCheckpointError naming the bad line. */
export function parseCheckpoint(body: string): Checkpoint & { readonly extensions: readonly string[] } {
  if (!body.endsWith('\n')) throw new MalformedCheckpointError('body does not end with a newline');
  const [origin, sizeText, rootText, ...extensions] = body.slice(0, -1).split('\n');
  if (rootText === undefined) throw new MalformedCheckpointError('needs origin, tree size and root hash lines');
  if (origin!.length === 0 || !isSingleLine(origin!)) throw new MalformedCheckpointError('origin line is empty or has control characters');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText!) || !Number.isSafeInteger(Number(sizeText))) {
    throw new MalformedCheckpointError(`tree size line ${JSON.stringify(sizeText)} is not a decimal number without leading zeros`);
  }
  const root = fromBase64(rootText);
  if (!root || root.length !== HASH_SIZE) {
    throw new MalformedCheckpointError(`root hash line ${JSON.stringify(rootText)} is not a base64 ${HASH_SIZE}-byte hash`);
  }
  extensions.forEach((line, i) => {
    if (line.length === 0 || !isSingleLine(line)) throw new MalformedCheckpointError(`extension line ${i + 1} is empty or has control characters`);
  });
  return { origin: origin!, size: Number(sizeText), root, extensions };
}

/** A checkpoint whose note signatures checked out. */
export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint & { readonly extensions: readonly string[] };
  readonly verifiedBy: readonly string[];
  readonly unknownKeys: readonly string[];
}

/**
 * Opens a signed checkpoint (as openNote, with errors naming the checkpoint) and parses its body;
 * with `origin`, also throws WrongOriginError unless the checkpoint is for that log.
 */
export function openCheckpoint(
  note: string | Uint8Array,
  verifierKeys: readonly string[],
  options: { readonly origin?: string } = {},
): OpenedCheckpoint {
  const { body, verifiedBy, unknownKeys } = open(note, verifierKeys, 'checkpoint');
  const checkpoint = parseCheckpoint(body);
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    throw new WrongOriginError(options.origin, checkpoint.origin);
  }
  return { checkpoint, verifiedBy, unknownKeys };
}

/**
 * C2SP tlog-cosignature/v1 (https://c2sp.org/tlog-cosignature): a witness's timestamped Ed25519
 * signature on a checkpoint, as transparency-log witnesses write them.
 *
 *   cosigner key = <name>+<key id>+base64(0x04 || 32-byte public key)
 *   key id       = SHA-256(<name> || "\n" || 0x04 || public key)[:4]
 *   line         = "— " <name> " " base64(key id || u64 big-endian timestamp || Ed25519 signature)
 *   message      = "cosignature/v1\n" "time " <decimal timestamp> "\n" || the checkpoint's note text
 *
 * A party's witness cosigns with the same Ed25519 key it signs its own log's checkpoints with, under
 * that key's name: the type byte 0x04 gives it a different key id, and the message's fixed first line
 * `cosignature/v1` can never be the origin line of a checkpoint this code signs, so neither kind of
 * signature can stand in for the other.
 */
const ALG_COSIGNATURE_V1 = 0x04;
const COSIGNATURE_HEADER = 'cosignature/v1\n';
/** 2^63 − 1 as C2SP bounds the timestamp; JavaScript numbers are exact only to 2^53 − 1, which is far enough. */
const MAX_TIMESTAMP = Number.MAX_SAFE_INTEGER;

/**
 * The cosigner verifier key (signature type 0x04) for the same Ed25519 key as a signer key or a
 * note verifier key: what a log's clients trust a witness by.
 */
export function cosignerKeyOf(signerOrVerifierKey: string): string {
  const key = signerOrVerifierKey.startsWith(PRIVATE_KEY_PREFIX) ? parseSignerKey(signerOrVerifierKey) : parseVerifierKey(signerOrVerifierKey);
  return `${key.name}+${keyHashOf(key.name, key.publicKey, ALG_COSIGNATURE_V1)}+${toBase64(withAlgorithm(key.publicKey, ALG_COSIGNATURE_V1))}`;
}

/** Parses and checks a cosigner verifier key string (signature type 0x04). */
export function parseCosignerKey(cosignerKey: string): VerifierKey {
  const [name, keyHash, encoded] = splitKey(cosignerKey);
  const publicKey = decodeKeyMaterial(encoded, name, ALG_COSIGNATURE_V1);
  if (keyHashOf(name, publicKey, ALG_COSIGNATURE_V1) !== keyHash) {
    throw new MalformedKeyError(`key id ${keyHash} of cosigner ${name} does not match its public key`);
  }
  return { name, keyHash, publicKey, id: `${name}+${keyHash}` };
}

/**
 * Adds the signer's tlog-cosignature/v1 to a signed checkpoint, replacing an earlier cosignature by
 * the same key; `timestamp` is POSIX seconds (default now). It checks no existing signature: open
 * the checkpoint with the log's key, and check its consistency, before you cosign it.
 */
export function cosignCheckpoint(note: string, signerKey: string, timestamp = Math.floor(Date.now() / 1000)): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new MalformedCosignatureError(`timestamp ${timestamp} is not whole seconds ≥ 0`);
  const key = parseSignerKey(signerKey);
  const keyId = keyHashOf(key.name, key.publicKey, ALG_COSIGNATURE_V1);
  const parsed = parseNote(note);
  const id = `${key.name}+${keyId}`;
  const others = parsed.signatures.filter((signature) => signature.id !== id).map((signature) => signature.line);
  const signature = sign(null, UTF8.encode(cosignedMessage(parsed.body, timestamp)), key.privateKey);
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(BigInt(timestamp));
  const line = `${SIGNATURE_PREFIX}${key.name} ${toBase64(Buffer.concat([Buffer.from(keyId, 'hex'), time, signature]))}\n`;
  return `${parsed.body}\n${others.join('')}${line}`;
}

/** One cosignature that verified. */
export interface Cosignature {
  /** The cosigner's key name. */
  readonly name: string;
  /** `name+keyId`. */
  readonly id: string;
  /** When the cosigner signed, POSIX seconds. */
  readonly timestamp: number;
}

/**
 * The tlog-cosignature/v1 cosignatures on a note by the trusted cosigner keys (type 0x04). Lines by
 * other keys are ignored; a line by a trusted key that is malformed or does not verify rejects the
 * note (BadSignatureError, MalformedCosignatureError); no cosignature by a trusted key is an
 * UnknownKeyError. It does not check the log's own signature: open the checkpoint for that.
 */
export function openCosignatures(note: string, cosignerKeys: readonly string[], subject = 'checkpoint'): Cosignature[] {
  const trusted = new Map(cosignerKeys.map((text) => parseCosignerKey(text)).map((key) => [key.id, key]));
  const parsed = parseNote(note);
  const found: Cosignature[] = [];
  const unknownKeys: string[] = [];
  for (const signature of parsed.signatures) {
    const key = trusted.get(signature.id);
    if (!key) {
      unknownKeys.push(signature.id);
      continue;
    }
    if (signature.signature.length !== 8 + 64) {
      throw new MalformedCosignatureError(`${subject}: cosignature by ${signature.id} is ${signature.signature.length + 4} bytes, not key id, timestamp and Ed25519 signature (76)`);
    }
    const timestamp = Buffer.from(signature.signature.subarray(0, 8)).readBigUInt64BE();
    if (timestamp > BigInt(MAX_TIMESTAMP)) throw new MalformedCosignatureError(`${subject}: cosignature by ${signature.id} has timestamp ${timestamp}, beyond what this verifier handles`);
    const message = UTF8.encode(cosignedMessage(parsed.body, Number(timestamp)));
    if (!verify(null, message, publicKeyObject(key.publicKey), signature.signature.subarray(8))) {
      throw new BadSignatureError(subject, `cosigner ${signature.id}`);
    }
    if (!found.some((cosignature) => cosignature.id === signature.id)) found.push({ name: key.name, id: signature.id, timestamp: Number(timestamp) });
  }
  if (found.length === 0) throw new UnknownKeyError(`${subject} cosignature`, unknownKeys);
  return found;
}

function cosignedMessage(body: string, timestamp: number): string {
  return `${COSIGNATURE_HEADER}time ${timestamp}\n${body}`;
}

interface NoteSignature {
  readonly name: string;
  readonly keyHash: string;
  readonly id: string;
  readonly signature: Uint8Array;
  readonly line: string;
}

function open(note: string | Uint8Array, verifierKeys: readonly string[], subject: string): OpenedNote {
  const trusted = new Map<string, VerifierKey>();
  for (const text of verifierKeys) {
    const key = parseVerifierKey(text);
    const known = trusted.get(key.id);
    if (known && !equalBytes(known.publicKey, key.publicKey)) throw new AmbiguousKeyError(key.id);
    trusted.set(key.id, key);
  }
  const parsed = parseNote(typeof note === 'string' ? note : decodeUtf8(note));
  const message = UTF8.encode(parsed.body);
  const verified = new Set<string>();
  const verifiedBy: string[] = [];
  const unknownKeys: string[] = [];
  for (const signature of parsed.signatures) {
    const key = trusted.get(signature.id);
    if (!key) {
      if (!unknownKeys.includes(signature.id)) unknownKeys.push(signature.id);
      continue;
    }
    if (signature.signature.length !== 64) {
      throw new BadSignatureError(subject, signature.id, `is ${signature.signature.length} bytes, not an Ed25519 signature`);
    }
    if (!verify(null, message, publicKeyObject(key.publicKey), signature.signature)) {
      throw new BadSignatureError(subject, signature.id);
    }
    if (!verified.has(signature.id)) {
      verified.add(signature.id);
      verifiedBy.push(key.name);
    }
  }
  if (verifiedBy.length === 0) throw new UnknownKeyError(subject, unknownKeys);
  return { body: parsed.body, verifiedBy, unknownKeys };
}

/** Splits a note into text and signature lines without checking any signature. */
function parseNote(note: string): { body: string; signatures: NoteSignature[] } {
  if (hasControl(note)) throw new MalformedNoteError('it has control characters other than newline');
  if (LONE_SURROGATE.test(note)) throw new MalformedNoteError('it is not valid Unicode text');
  // The text ends at the last blank line; everything after it is signature lines.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new MalformedNoteError('no blank line separates the text from the signatures');
  const body = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block.length === 0) throw new MalformedNoteError('it has no signature lines');
  if (!block.endsWith('\n')) throw new MalformedNoteError('the last signature line does not end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new MalformedNoteError(`it has ${lines.length} signatures, more than ${MAX_SIGNATURES}`);
  const signatures = lines.map((line, i) => {
    const where = `signature line ${i + 1}`;
    if (!line.startsWith(SIGNATURE_PREFIX)) throw new MalformedNoteError(`${where} does not start with an em dash and a space`);
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    const name = space < 0 ? '' : rest.slice(0, space);
    if (!isValidKeyName(name)) throw new MalformedNoteError(`${where} has no valid key name`);
    const bytes = fromBase64(rest.slice(space + 1));
    if (!bytes || bytes.length < 5) throw new MalformedNoteError(`${where} (${name}) has no base64 key hash and signature`);
    const keyHash = toHex(bytes.subarray(0, 4));
    return { name, keyHash, id: `${name}+${keyHash}`, signature: bytes.subarray(4), line: `${line}\n` };
  });
  return { body, signatures };
}

function signatureLine(body: string, key: SignerKey): string {
  const signature = new Uint8Array(sign(null, UTF8.encode(body), key.privateKey));
  const keyHash = Buffer.from(key.keyHash, 'hex');
  return `${SIGNATURE_PREFIX}${key.name} ${toBase64(Buffer.concat([keyHash, signature]))}\n`;
}

function parseSignerKey(signerKey: string): SignerKey {
  if (!signerKey.startsWith(PRIVATE_KEY_PREFIX)) throw new MalformedKeyError('a signer key starts with PRIVATE+KEY+');
  const [name, keyHash, encoded] = splitKey(signerKey.slice(PRIVATE_KEY_PREFIX.length));
  const seed = decodeKeyMaterial(encoded, name);
  const publicKey = publicKeyOfSeed(seed);
  if (keyHashOf(name, publicKey) !== keyHash) {
    throw new MalformedKeyError(`key hash ${keyHash} of ${name} does not match its key`);
  }
  return { name, keyHash, publicKey, id: `${name}+${keyHash}`, privateKey: privateKeyObject(seed) };
}

/** name "+" hash "+" base64; the base64 may itself contain "+", so split on the first two only. */
function splitKey(text: string): [string, string, string] {
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) throw new MalformedKeyError('expected <name>+<hex key hash>+<base64 key>');
  const name = text.slice(0, first);
  const keyHash = text.slice(first + 1, second);
  if (!isValidKeyName(name)) throw new MalformedKeyError(`key name ${JSON.stringify(name)} is empty or has spaces`);
  if (!KEY_HASH.test(keyHash)) throw new MalformedKeyError(`key hash ${JSON.stringify(keyHash)} of ${name} is not 8 lower-case hex digits`);
  return [name, keyHash, text.slice(second + 1)];
}

function decodeKeyMaterial(encoded: string, name: string, algorithm = ALG_ED25519): Uint8Array {
  const bytes = fromBase64(encoded);
  if (!bytes || bytes.length !== 33) throw new MalformedKeyError(`key of ${name} is not base64 of 33 bytes`);
  if (bytes[0] !== algorithm) {
    const expected = algorithm === ALG_ED25519 ? 'Ed25519 note signatures (1)' : 'Ed25519 cosignatures/v1 (4)';
    throw new MalformedKeyError(`key of ${name} has algorithm ${bytes[0]}, here only ${expected} is accepted`);
  }
  return bytes.subarray(1);
}

/** C2SP key hash: the first 4 bytes of SHA-256(name || "\n" || type || public key), as hex. */
function keyHashOf(name: string, publicKey: Uint8Array, algorithm = ALG_ED25519): string {
  return toHex(sha256(UTF8.encode(`${name}\n`), withAlgorithm(publicKey, algorithm)).subarray(0, 4));
}

function withAlgorithm(key: Uint8Array, algorithm = ALG_ED25519): Uint8Array {
  return Buffer.concat([Uint8Array.of(algorithm), key]);
}

function privateKeyObject(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519, publicKey]), format: 'der', type: 'spki' });
}

function publicKeyOfSeed(seed: Uint8Array): Uint8Array {
  const spki = createPublicKey(privateKeyObject(seed)).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(SPKI_ED25519.length));
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new MalformedNoteError('it is not valid UTF-8');
  }
}

function checkText(body: string): void {
  if (body.length === 0 || !body.endsWith('\n')) throw new MalformedNoteError('the text must be non-empty and end with a newline');
  if (hasControl(body)) throw new MalformedNoteError('it has control characters other than newline');
  if (LONE_SURROGATE.test(body)) throw new MalformedNoteError('it is not valid Unicode text');
}

/** ASCII controls other than newline, which C2SP forbids anywhere in a note. */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a) return true;
  }
  return false;
}

function isSingleLine(line: string): boolean {
  return !line.includes('\n') && !hasControl(line);
}
