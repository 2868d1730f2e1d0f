import { isAdultAt } from '@silta/contracts';
import type { ConsentCommand, GrantConsent, PauseConsent, ResumeConsent, WithdrawConsent } from './consent.commands';
import { ConsentError } from './consent.errors';
import { decidesForSelfIn, fieldsAddressed, initialCapacity, type StudentCapacity } from './capacity.decider';
import type { ConsentEvent, ConsentScope, WelfareRole } from './consent.events';
import { effectiveStatus, evolveConsent, initialConsentState, unreachable, type Consent, type ConsentState } from './consent';
import { isLinkedGuardian, sameParty, type Party, type RosterSnapshot } from './party';

/** The stream that holds one consent's history. */
export function consentStreamId(consentId: string): string {
  return `consent-${consentId}`;
}

/**
 * Why `actor` may not let data flow on the student's consent now (grant or resume), or undefined
 * when they may. Capacity is judged per field by its professionals (potilaslaki 785/1992 7 §,
 * sosiaalihuollon asiakaslaki 812/2000 10–11 §), so it is read for the fields the consent addresses
 * (those of `roles`; both when it names none): the student themself when assessed as deciding for
 * themselves in every one of them; a currently linked guardian unless the student is. From the
 * 18th birthday (roster's birth date, at `now`, as disclosure counts it) the student decides
 * everything alone, assessed or not, and a guardian nothing: custody has ended (361/1983 3 §).
 * Once the student decides, guardians can no longer let data flow; they can still stop it (pause,
 * withdraw).
 */
export function standingRefusal(
  actor: Party,
  studentId: string,
  roster: RosterSnapshot,
  capacity: StudentCapacity,
  roles: readonly WelfareRole[] | undefined,
  now: Date,
): ConsentError | undefined {
  const fields = fieldsAddressed(roles);
  const adult = isAdultAt(roster.birthDate, now.toISOString());
  const decidesForSelf = adult || decidesForSelfIn(capacity, fields);
  if (actor.kind === 'guardian') {
    const unlinked = linkRefusal(actor, studentId, roster);
    if (unlinked) return unlinked;
    if (adult) return adultRefusal(studentId);
    return decidesForSelf
      ? new ConsentError('student_decides_for_self', `student ${studentId} is assessed as deciding for themselves in ${fields.join(' and ')}; guardians can no longer grant or resume such consents`)
      : undefined;
  }
  if (actor.id !== studentId) return new ConsentError('not_the_student', 'a student may decide only on their own consents');
  if (!decidesForSelf) {
    return new ConsentError('student_lacks_capacity', `student ${studentId} is not assessed as deciding for themselves in ${fields.join(' and ')}, every field this consent addresses`);
  }
  return undefined;
}

/**
 * Whether `actor` may see the student's consents: a linked guardian while the student is under 18
 * (as disclosure's log and report: custody has ended at 18), or the student themself.
 */
export function viewingRefusal(actor: Party, studentId: string, roster: RosterSnapshot, now: Date): ConsentError | undefined {
  if (actor.kind === 'guardian') {
    return linkRefusal(actor, studentId, roster) ?? (isAdultAt(roster.birthDate, now.toISOString()) ? adultRefusal(studentId) : undefined);
  }
  return actor.id === studentId ? undefined : new ConsentError('not_the_student', "a student may see only their own consents");
}

function adultRefusal(studentId: string): ConsentError {
  return new ConsentError(
    'student_is_adult',
    `student ${studentId} is 18 or more: custody has ended (laki lapsen huollosta ja tapaamisoikeudesta 361/1983 3 §), so the student decides alone and a guardian may no longer grant, resume or see their consents; a guardian may still pause or withdraw what they granted`,
  );
}

/**
 * Which of the student's consents a permitted viewer sees: the student all of them; a guardian
 * only those guardians granted, since what a student decided for themself (say, consent for the
 * psychologist) is theirs to keep from their guardians.
 */
export function seesConsent(viewer: Party, grantedBy: Party): boolean {
  return viewer.kind === 'student' || grantedBy.kind === 'guardian';
}

function linkRefusal(actor: Party, studentId: string, roster: RosterSnapshot): ConsentError | undefined {
  return isLinkedGuardian(actor, roster) ? undefined : new ConsentError('not_a_guardian', `guardian ${actor.id} is not linked to student ${studentId}`);
}

/** Decides a command against the consent's current state; throws ConsentError to refuse. */
export function decideConsent(command: ConsentCommand, state: ConsentState): readonly ConsentEvent[] {
  switch (command.type) {
    case 'GrantConsent':
      return grant(command, state);
    case 'WithdrawConsent':
      return withdraw(command, existing(command, state));
    case 'PauseConsent':
      return pause(command, existing(command, state));
    case 'ResumeConsent':
      return resume(command, existing(command, state));
    default:
      return unreachable(command);
  }
}

/** The pure decider of one consent stream (STYLE.md): decide, evolve, initial state. */
export const consentDecider = {
  initialState: initialConsentState,
  decide: decideConsent,
  evolve: evolveConsent,
};

function grant(command: GrantConsent, state: ConsentState): readonly ConsentEvent[] {
  const refusal = standingRefusal(command.actor, command.studentId, command.roster, command.capacity, command.recipient.roles, command.now);
  if (refusal) throw refusal;
  if (state.status !== 'none') {
    if (state.studentId !== command.studentId) {
      throw new ConsentError('consent_id_taken', `consent ${command.consentId} belongs to another student`);
    }
    if (!sameParty(state.grantedBy, command.actor)) {
      throw new ConsentError('not_the_grantor', `only the grantor may grant a new version of consent ${command.consentId}`);
    }
    if (state.status === 'withdrawn') throw withdrawn(command.consentId);
  }
  return [
    {
      type: 'ConsentGranted',
      consentId: command.consentId,
      version: state.status === 'none' ? 1 : state.version + 1,
      studentId: command.studentId,
      grantedBy: command.actor,
      scope: scopeOf(command),
      grantedAt: command.now.toISOString(),
    },
  ];
}

function withdraw(command: WithdrawConsent, consent: Consent): readonly ConsentEvent[] {
  assertMayChange(command.actor, consent, command.roster);
  if (consent.status === 'withdrawn') throw withdrawn(consent.consentId);
  const reason = command.reason?.trim();
  return [
    {
      type: 'ConsentWithdrawn',
      consentId: consent.consentId,
      version: consent.version,
      studentId: consent.studentId,
      withdrawnBy: command.actor,
      ...(reason ? { reason } : {}),
      withdrawnAt: command.now.toISOString(),
    },
  ];
}

function pause(command: PauseConsent, consent: Consent): readonly ConsentEvent[] {
  assertMayChange(command.actor, consent, command.roster);
  const status = effectiveStatus({ status: consent.status, validUntil: consent.scope.validUntil }, command.now);
  if (status === 'withdrawn') throw withdrawn(consent.consentId);
  if (status === 'expired') throw expired(consent.consentId);
  if (status === 'paused') throw new ConsentError('consent_already_paused', `consent ${consent.consentId} is already paused`);
  return [
    {
      type: 'ConsentPaused',
      consentId: consent.consentId,
      version: consent.version,
      studentId: consent.studentId,
      pausedBy: command.actor,
      pausedAt: command.now.toISOString(),
    },
  ];
}

function resume(command: ResumeConsent, consent: Consent): readonly ConsentEvent[] {
  assertMayChange(command.actor, consent, command.roster);
  // Resuming lets data flow again, so the actor must still stand where a grantor stands: a
  // guardian still linked and the student under 18, a student adult or still deciding for
  // themselves in the consent's fields.
  const refusal = standingRefusal(
    command.actor,
    consent.studentId,
    rosterOrNobody(command.roster, consent.studentId),
    command.capacity ?? initialCapacity,
    consent.scope.recipient.roles,
    command.now,
  );
  if (refusal) throw refusal;
  const status = effectiveStatus({ status: consent.status, validUntil: consent.scope.validUntil }, command.now);
  if (status === 'withdrawn') throw withdrawn(consent.consentId);
  if (status === 'expired') throw expired(consent.consentId);
  if (status === 'active') throw new ConsentError('consent_not_paused', `consent ${consent.consentId} is not paused`);
  return [
    {
      type: 'ConsentResumed',
      consentId: consent.consentId,
      version: consent.version,
      studentId: consent.studentId,
      resumedBy: command.actor,
      resumedAt: command.now.toISOString(),
    },
  ];
}

function existing(command: { readonly consentId: string }, state: ConsentState): Consent {
  if (state.status === 'none') throw new ConsentError('consent_not_found', `consent ${command.consentId} does not exist`);
  return state;
}

/**
 * Withdraw, pause and resume are for the grantor, or — for a guardian's consent — any guardian
 * currently linked to the student, since each guardian can act for the child.
 */
function assertMayChange(actor: Party, consent: Consent, roster: RosterSnapshot | undefined): void {
  if (sameParty(actor, consent.grantedBy)) return;
  if (consent.grantedBy.kind === 'guardian' && isLinkedGuardian(actor, rosterOrNobody(roster, consent.studentId))) return;
  throw new ConsentError('not_the_grantor', `only the grantor${consent.grantedBy.kind === 'guardian' ? ' or a linked guardian' : ''} may change consent ${consent.consentId}`);
}

/** Without a roster snapshot nobody is linked: fail closed. */
function rosterOrNobody(roster: RosterSnapshot | undefined, studentId: string): RosterSnapshot {
  return roster ?? { studentId, linkedGuardianIds: [] };
}

function scopeOf(command: GrantConsent): ConsentScope {
  const validFrom = command.validFrom ?? command.now;
  if (command.validUntil && command.validUntil.getTime() <= validFrom.getTime()) {
    throw new ConsentError('invalid_validity_period', 'validUntil must be after validFrom');
  }
  if (command.validUntil && command.validUntil.getTime() <= command.now.getTime()) {
    throw new ConsentError('invalid_validity_period', 'validUntil has already passed: such a consent could never permit anything');
  }
  const roles = command.recipient.roles ? unique(command.recipient.roles) : undefined;
  return {
    categories: unique(command.categories),
    recipient: { welfareAreaId: command.recipient.welfareAreaId, ...(roles ? { roles } : {}) },
    purpose: command.purpose.trim(),
    validFrom: validFrom.toISOString(),
    ...(command.validUntil ? { validUntil: command.validUntil.toISOString() } : {}),
  };
}

function unique<T>(values: readonly T[]): readonly T[] {
  return [...new Set(values)];
}

function withdrawn(consentId: string): ConsentError {
  return new ConsentError('consent_withdrawn', `consent ${consentId} was withdrawn; withdrawal is final`);
}

function expired(consentId: string): ConsentError {
  return new ConsentError('consent_expired', `consent ${consentId} has expired; grant a new version to renew it`);
}
