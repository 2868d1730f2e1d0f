/**
 * How a service says no, without knowing HTTP: the kind of refusal and a stable code. One filter at
 * the edge (libs/platform's ProblemFilter) turns a kind into a status and answers problem+json with
 * the code, the detail and the extras. Plain TypeScript, so a domain may throw it.
 */
export type RefusalKind =
  /** The request cannot be carried out as asked (400). */
  | 'invalid'
  /** The caller may not do this, or not to this object (403). */
  | 'forbidden'
  /** No such thing within the caller's reach (404). */
  | 'not_found'
  /** What is on record does not allow it, or no longer does (409). */
  | 'conflict'
  /** This service cannot answer safely yet (its view is behind or incomplete); retry later (503). */
  | 'unavailable'
  /** Asked again too soon: retry after the `retryAfter` seconds the extras name (429, with Retry-After). */
  | 'rate_limited'
  /** A service this one asks could not be reached or answered something unusable (502). */
  | 'upstream_failed'
  /** Data on record fails its own integrity check: reported, never answered from (500). */
  | 'corrupted';

/** A refusal: `code` is stable and safe to show the caller, `detail` says why in words. */
export class Refusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    readonly code: string,
    detail: string,
    /** Further members of the problem body (e.g. `errors` naming the offending fields). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }

  /** The human-readable reason, the problem body's `detail`. */
  get detail(): string {
    return this.message;
  }
}

/**
 * The base of a domain's own refusal class, from its table of stable codes and the kind of each:
 * `class RosterError extends refusalsOf({ school_exists: 'conflict', ... }) {}`, then
 * `new RosterError('school_exists', 'school s-1 is already registered')`.
 */
export function refusalsOf<const Kinds extends Record<string, RefusalKind>>(kinds: Kinds) {
  return class extends Refusal {
    declare readonly kind: Kinds[keyof Kinds];
    declare readonly code: keyof Kinds & string;

    constructor(code: keyof Kinds & string, detail: string) {
      super(kinds[code]!, code, detail);
    }
  };
}
