import type { DataCategory } from '@silta/contracts';
import type { WelfareRole } from './consent.events';
import type { StudentCapacity } from './capacity.decider';
import type { Party, RosterSnapshot } from './party';

/**
 * Grants a consent, or — when the consent id exists and the grantor is the same — a new version
 * that supersedes the previous one.
 */
export interface GrantConsent {
  readonly type: 'GrantConsent';
  readonly consentId: string;
  readonly studentId: string;
  readonly actor: Party;
  readonly categories: readonly DataCategory[];
  readonly recipient: { readonly welfareAreaId: string; readonly roles?: readonly WelfareRole[] };
  readonly purpose: string;
  /** Defaults to `now`. */
  readonly validFrom?: Date;
  readonly validUntil?: Date;
  /** The roster view of `studentId` at decision time. */
  readonly roster: RosterSnapshot;
  /** The student's capacity assessments: who may grant depends on the fields the consent addresses. */
  readonly capacity: StudentCapacity;
  readonly now: Date;
}

/** Withdraws a consent for good. */
export interface WithdrawConsent {
  readonly type: 'WithdrawConsent';
  readonly consentId: string;
  readonly actor: Party;
  readonly reason?: string;
  /** The roster view of the consent's student; undefined when the consent does not exist. */
  readonly roster: RosterSnapshot | undefined;
  readonly now: Date;
}

/** Pauses a consent until it is resumed. */
export interface PauseConsent {
  readonly type: 'PauseConsent';
  readonly consentId: string;
  readonly actor: Party;
  readonly roster: RosterSnapshot | undefined;
  readonly now: Date;
}

/** Resumes a paused consent. */
export interface ResumeConsent {
  readonly type: 'ResumeConsent';
  readonly consentId: string;
  readonly actor: Party;
  readonly roster: RosterSnapshot | undefined;
  /** The consent's student's capacity assessments; undefined when the consent does not exist. */
  readonly capacity: StudentCapacity | undefined;
  readonly now: Date;
}

/** Everything one can ask of a consent. */
export type ConsentCommand = GrantConsent | WithdrawConsent | PauseConsent | ResumeConsent;
