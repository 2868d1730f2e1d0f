/**
 * The offline audit bundle: a party's signed checkpoint and some of its audit events, each with an
 * inclusion proof against that checkpoint, so an auditor can check them with the public key alone.
 * The service writes it (GET /v1/audit/log/bundle) and `silta-audit verify-bundle` reads it.
 */
import { MalformedBundleError } from './errors';

export interface BundleEvent {
  readonly leafIndex: number;
  readonly streamId: string;
  readonly type: string;
  /** The event's data exactly as stored: its leaf hash is eventLeafHash({ type, data }). */
  readonly data: unknown;
  /** Lower-case hex of eventLeafHash({ type, data }), as recorded at append. */
  readonly leafHash: string;
  /** RFC 9162 audit path, base64 hashes, deepest first. */
  readonly proof: readonly string[];
}

export interface AuditBundle {
  readonly origin: string;
  readonly verifierKey: string;
  /** The C2SP signed checkpoint note every proof leads to. */
  readonly checkpoint: string;
  readonly events: readonly BundleEvent[];
}

/** Checks a bundle's shape (not its proofs); MalformedBundleError names the first field that is wrong. */
export function parseBundle(text: string, source: string): AuditBundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MalformedBundleError(source, `is not JSON: ${(error as Error).message}`);
  }
  const fail = (what: string) => new MalformedBundleError(source, what);
  if (typeof json !== 'object' || json === null) throw fail('is not a JSON object');
  const bundle = json as Record<string, unknown>;
  for (const field of ['origin', 'verifierKey', 'checkpoint'] as const) {
    if (typeof bundle[field] !== 'string') throw fail(`${field} is not a string`);
  }
  if (!Array.isArray(bundle.events)) throw fail('events is not an array');
  bundle.events.forEach((value: unknown, i) => {
    const event = value as Record<string, unknown> | null;
    const where = `events[${i}]`;
    if (typeof event !== 'object' || event === null) throw fail(`${where} is not an object`);
    if (!Number.isSafeInteger(event.leafIndex) || (event.leafIndex as number) < 0) throw fail(`${where}.leafIndex is not a whole number ≥ 0`);
    for (const field of ['streamId', 'type', 'leafHash'] as const) {
      if (typeof event[field] !== 'string') throw fail(`${where}.${field} is not a string`);
    }
    if (!('data' in event)) throw fail(`${where} has no data`);
    if (!Array.isArray(event.proof) || !event.proof.every((hash) => typeof hash === 'string')) {
      throw fail(`${where}.proof is not an array of base64 hashes`);
    }
  });
  return bundle as unknown as AuditBundle;
}
