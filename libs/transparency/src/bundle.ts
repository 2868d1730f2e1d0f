/**
 * The offline audit bundle (docs/audit-log-format.md): a party's signed checkpoint and some of its
 * audit events, each with an inclusion proof against that checkpoint, and, when it holds a whole
 * student's stream, the completeness-map proof that it holds all of it. The service writes it
 * (GET /v1/audit/log/bundle), `silta-audit export` too, and `silta-audit verify-bundle` reads it.
 */
import type { AuditLeafEvent } from './canonical';
import { MalformedBundleError, MalformedJsonError } from './errors';
import type { MapProof, StreamEntry } from './map';
import { parseStrictJson } from './strict-json';

/** The format name a bundle carries. */
export const BUNDLE_FORMAT = 'silta-audit-bundle/v2';

export interface BundleEvent {
  readonly leafIndex: number;
  /** 2 for events appended since leaf v2; absent or 1 for older ones, whose leaf binds only type and data. */
  readonly leafVersion?: 1 | 2;
  /** The event id (under a v2 leaf's hash). */
  readonly id?: string;
  readonly streamId: string;
  /** The event's revision in its stream (under a v2 leaf's hash). */
  readonly revision?: number;
  /** The leaf index of the stream's previous event, null for its first (under a v2 leaf's hash). */
  readonly previous?: number | null;
  readonly type: string;
  /** The event's data exactly as stored. */
  readonly data: unknown;
  /** Lower-case hex of the leaf hash. */
  readonly leafHash: string;
  /** RFC 9162 audit path, base64 hashes, deepest first. */
  readonly proof: readonly string[];
}

/** What proves a bundle holds the whole of one stream up to its checkpoint. */
export interface BundleCompleteness {
  readonly stream: string;
  /** The stream's entry in the checkpoint's map, null when it has no event up to the checkpoint. */
  readonly entry: StreamEntry | null;
  readonly proof: MapProof;
}

export interface AuditBundle {
  readonly format?: string;
  readonly origin: string;
  readonly verifierKey: string;
  /** The C2SP signed checkpoint note every proof leads to (cosignatures included). */
  readonly checkpoint: string;
  readonly events: readonly BundleEvent[];
  readonly completeness?: BundleCompleteness;
}

/** The leaf a bundled event claims to be, in its leaf version. */
export function bundleLeaf(event: BundleEvent): AuditLeafEvent {
  if (event.leafVersion !== 2) return { type: event.type, data: event.data };
  return { v: 2, id: event.id!, stream: event.streamId, revision: event.revision!, previous: event.previous ?? null, type: event.type, data: event.data };
}

/**
 * Reads a bundle as strict I-JSON (RFC 7493: a repeated member name, a lone surrogate or an
 * inexact number is refused, naming the place) and checks its shape, not its proofs;
 * MalformedBundleError names the first field that is wrong.
 */
export function parseBundle(text: string, source: string): AuditBundle {
  let json: unknown;
  try {
    json = parseStrictJson(text, source);
  } catch (error) {
    // The JSON error names the source, the path, line and column: keep it as it is, said of the bundle.
    if (error instanceof MalformedJsonError) throw new MalformedBundleError(source, error.message.startsWith(`${source}: `) ? error.message.slice(source.length + 2) : error.message);
    throw error;
  }
  const fail = (what: string) => new MalformedBundleError(source, what);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw fail('is not a JSON object');
  const bundle = json as Record<string, unknown>;
  if (bundle.format !== undefined && bundle.format !== BUNDLE_FORMAT) throw fail(`format ${JSON.stringify(bundle.format)} is not ${BUNDLE_FORMAT}`);
  for (const field of ['origin', 'verifierKey', 'checkpoint'] as const) {
    if (typeof bundle[field] !== 'string') throw fail(`${field} is not a string`);
  }
  if (!Array.isArray(bundle.events)) throw fail('events is not an array');
  bundle.events.forEach((value: unknown, i) => checkEvent(value, `events[${i}]`, fail));
  if (bundle.completeness !== undefined) checkCompleteness(bundle.completeness, fail);
  return bundle as unknown as AuditBundle;
}

const isIndex = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

function checkEvent(value: unknown, where: string, fail: (what: string) => MalformedBundleError): void {
  const event = value as Record<string, unknown> | null;
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw fail(`${where} is not an object`);
  if (!isIndex(event.leafIndex)) throw fail(`${where}.leafIndex is not a whole number ≥ 0`);
  if (event.leafVersion !== undefined && event.leafVersion !== 1 && event.leafVersion !== 2) throw fail(`${where}.leafVersion is not 1 or 2`);
  for (const field of ['streamId', 'type', 'leafHash'] as const) {
    if (typeof event[field] !== 'string') throw fail(`${where}.${field} is not a string`);
  }
  if (event.leafVersion === 2) {
    if (typeof event.id !== 'string') throw fail(`${where}.id is not a string (a v2 leaf hashes it)`);
    if (!isIndex(event.revision)) throw fail(`${where}.revision is not a whole number ≥ 0 (a v2 leaf hashes it)`);
    if (event.previous !== null && !isIndex(event.previous)) throw fail(`${where}.previous is not null or a leaf index (a v2 leaf hashes it)`);
  }
  if (!('data' in event)) throw fail(`${where} has no data`);
  if (!Array.isArray(event.proof) || !event.proof.every((hash) => typeof hash === 'string')) {
    throw fail(`${where}.proof is not an array of base64 hashes`);
  }
}

function checkCompleteness(value: unknown, fail: (what: string) => MalformedBundleError): void {
  const completeness = value as Record<string, unknown> | null;
  if (typeof completeness !== 'object' || completeness === null) throw fail('completeness is not an object');
  if (typeof completeness.stream !== 'string') throw fail('completeness.stream is not a string');
  const entry = completeness.entry as Record<string, unknown> | null;
  if (entry !== null && (typeof entry !== 'object' || !isIndex(entry.latest) || !isIndex(entry.count) || (entry.count as number) < 1)) {
    throw fail('completeness.entry is not null or { latest, count ≥ 1 }');
  }
  const proof = completeness.proof as Record<string, unknown> | null;
  if (typeof proof !== 'object' || proof === null || !Array.isArray(proof.siblings) || !proof.siblings.every((hash) => typeof hash === 'string')) {
    throw fail('completeness.proof.siblings is not an array of base64 hashes');
  }
  const terminal = proof.terminal as Record<string, unknown> | null | undefined;
  if (terminal !== undefined && terminal !== null && (typeof terminal.key !== 'string' || typeof terminal.valueHash !== 'string')) {
    throw fail('completeness.proof.terminal is not { key, valueHash }');
  }
}

/**
 * What a bundle's events show of its completeness claim, given the entry the map proof established:
 * the problems (empty when the bundle holds exactly the stream's events up to the checkpoint, chained
 * from first to newest). Each problem names what is missing or out of place. The events must already
 * be proven in the log (their leaf hashes and inclusion proofs).
 */
export function completenessProblems(events: ReadonlyArray<Pick<BundleEvent, 'leafIndex' | 'leafVersion' | 'previous' | 'revision' | 'streamId'>>, stream: string, entry: StreamEntry | null): string[] {
  const own = events.filter((event) => event.streamId === stream).sort((a, b) => a.leafIndex - b.leafIndex);
  const problems: string[] = [];
  const count = entry?.count ?? 0;
  if (own.length !== count) problems.push(`the log holds ${count} events of ${stream} up to the checkpoint, the bundle ${own.length}`);
  const v1 = own.filter((event) => event.leafVersion !== 2);
  if (v1.length > 0) problems.push(`leaves ${v1.map((event) => event.leafIndex).join(', ')} are v1 leaves, which do not bind their stream or chain: completeness cannot be proven`);
  let previous: number | null = null;
  own.forEach((event, revision) => {
    if (event.leafVersion !== 2) return;
    if (event.previous !== previous) {
      problems.push(
        previous === null
          ? `the first event in the bundle (leaf ${event.leafIndex}) follows leaf ${event.previous}, which the bundle lacks`
          : `leaf ${event.leafIndex} follows leaf ${event.previous ?? 'none'}, not leaf ${previous}: the events between are missing`,
      );
    }
    if (event.revision !== revision) problems.push(`leaf ${event.leafIndex} is revision ${event.revision} of ${stream}, expected ${revision}`);
    previous = event.leafIndex;
  });
  const newest = own[own.length - 1];
  if (entry && newest?.leafIndex !== entry.latest) {
    problems.push(`the stream's newest event up to the checkpoint is leaf ${entry.latest}, the bundle's newest is ${newest ? `leaf ${newest.leafIndex}` : 'none'}`);
  }
  return problems;
}
