import type { ConsentEvent, ConsentScope } from './consent.events';
import type { Party } from './party';

/** The lifecycle a consent records; `expired` is not recorded but computed (see effectiveStatus). */
export type ConsentStatus = 'active' | 'paused' | 'withdrawn';

/** The status a reader sees at a given moment. */
export type EffectiveStatus = ConsentStatus | 'expired';

/** A consent as its stream tells it. */
export interface Consent {
  readonly status: ConsentStatus;
  readonly consentId: string;
  readonly studentId: string;
  readonly version: number;
  readonly grantedBy: Party;
  readonly scope: ConsentScope;
  /** When the current version was granted. */
  readonly grantedAt: string;
  /** When the last event happened. */
  readonly changedAt: string;
}

/** The state of a consent stream: nothing yet, or a consent. */
export type ConsentState = { readonly status: 'none' } | Consent;

/** The state of a stream with no events. */
export const initialConsentState: ConsentState = { status: 'none' };

/** Folds one event into the state. */
export function evolveConsent(state: ConsentState, event: ConsentEvent): ConsentState {
  switch (event.type) {
    case 'ConsentGranted':
      // A new version replaces the scope and makes the consent active again: granting is an
      // explicit act, and the published ConsentGranted means "granted as of now" to every reader.
      return {
        status: 'active',
        consentId: event.consentId,
        studentId: event.studentId,
        version: event.version,
        grantedBy: event.grantedBy,
        scope: event.scope,
        grantedAt: event.grantedAt,
        changedAt: event.grantedAt,
      };
    case 'ConsentWithdrawn':
      return state.status === 'none' ? state : { ...state, status: 'withdrawn', changedAt: event.withdrawnAt };
    case 'ConsentPaused':
      return state.status === 'none' ? state : { ...state, status: 'paused', changedAt: event.pausedAt };
    case 'ConsentResumed':
      return state.status === 'none' ? state : { ...state, status: 'active', changedAt: event.resumedAt };
    default:
      return unreachable(event);
  }
}

/**
 * The status at `now`: a consent whose validity period has ended is expired without any event;
 * a withdrawal stays a withdrawal.
 */
export function effectiveStatus(consent: { readonly status: ConsentStatus; readonly validUntil?: string | null }, now: Date): EffectiveStatus {
  if (consent.status === 'withdrawn') return 'withdrawn';
  if (consent.validUntil && Date.parse(consent.validUntil) <= now.getTime()) return 'expired';
  return consent.status;
}

/** Makes a switch exhaustive: adding an event or command type without handling it fails to compile. */
export function unreachable(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}
