import type { DataCategory } from '@silta/contracts';
import type { Party } from './party';

/** A welfare profession a consent can be limited to (the contracts' WelfareRole). */
export type WelfareRole = 'curator' | 'psychologist' | 'nurse' | 'doctor';

/** What a consent covers: which data, for whom, why, and for how long. */
export interface ConsentScope {
  readonly categories: readonly DataCategory[];
  readonly recipient: {
    readonly welfareAreaId: string;
    /** Absent: every welfare profession of the area. */
    readonly roles?: readonly WelfareRole[];
  };
  readonly purpose: string;
  /** ISO date-time. */
  readonly validFrom: string;
  /** ISO date-time; absent: until withdrawn. */
  readonly validUntil?: string;
}

/** A consent was granted, or a new version of it superseded the previous one. */
export interface ConsentGranted {
  readonly type: 'ConsentGranted';
  readonly consentId: string;
  /** 1 for the first grant; each new version supersedes the one before. */
  readonly version: number;
  readonly studentId: string;
  readonly grantedBy: Party;
  readonly scope: ConsentScope;
  readonly grantedAt: string;
}

/** The consent was withdrawn; this is final. */
export interface ConsentWithdrawn {
  readonly type: 'ConsentWithdrawn';
  readonly consentId: string;
  readonly version: number;
  readonly studentId: string;
  readonly withdrawnBy: Party;
  readonly reason?: string;
  readonly withdrawnAt: string;
}

/** The consent was paused; it permits nothing until resumed. */
export interface ConsentPaused {
  readonly type: 'ConsentPaused';
  readonly consentId: string;
  readonly version: number;
  readonly studentId: string;
  readonly pausedBy: Party;
  readonly pausedAt: string;
}

/** A paused consent was resumed. */
export interface ConsentResumed {
  readonly type: 'ConsentResumed';
  readonly consentId: string;
  readonly version: number;
  readonly studentId: string;
  readonly resumedBy: Party;
  readonly resumedAt: string;
}

/** Everything that can happen to a consent; stored in its stream `consent-<consentId>`. */
export type ConsentEvent = ConsentGranted | ConsentWithdrawn | ConsentPaused | ConsentResumed;

/** The event type names, for mapping stored events back to domain events. */
export const CONSENT_EVENT_TYPES: ReadonlyArray<ConsentEvent['type']> = ['ConsentGranted', 'ConsentWithdrawn', 'ConsentPaused', 'ConsentResumed'];
