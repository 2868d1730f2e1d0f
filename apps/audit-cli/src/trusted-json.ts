/**
 * JSON the CLI is about to verify (a bundle, a proof, the service's answer) is read as strict
 * I-JSON: with JSON.parse a repeated member name shows one value while the other is what was
 * hashed. Text that is not strict I-JSON is an audit finding (exit 1) naming the place.
 */
import { MalformedBundleError, MalformedJsonError, parseBundle, parseStrictJson, type AuditBundle } from '@silta/transparency';
import { AuditFailure, type AuditFailureCode } from './failures';

/** The value of `text`; throws AuditFailure(`code`) naming source, path, line and column if not strict I-JSON. */
export function readTrustedJson(text: string, source: string, code: AuditFailureCode): unknown {
  try {
    return parseStrictJson(text, source);
  } catch (error) {
    if (error instanceof MalformedJsonError) throw new AuditFailure(code, error.message);
    throw error;
  }
}

/** An offline bundle (a file or the service's answer); a wrong shape or non-strict JSON is an audit finding. */
export function readTrustedBundle(text: string, source: string): AuditBundle {
  try {
    return parseBundle(text, source);
  } catch (error) {
    if (error instanceof MalformedBundleError) throw new AuditFailure('malformed_bundle', error.message);
    throw error;
  }
}
