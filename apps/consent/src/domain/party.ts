/** Who can grant or change a consent: a guardian of the student, or the student themself. */
export type PartyKind = 'guardian' | 'student';

/** A person acting on a consent, identified by the subject of their verified token. */
export interface Party {
  readonly kind: PartyKind;
  readonly id: string;
}

/** True when both name the same person in the same capacity. */
export function sameParty(a: Party, b: Party): boolean {
  return a.kind === b.kind && a.id === b.id;
}

/**
 * What the roster view says about a student when a command is decided: who their currently
 * linked guardians are. A lookup passed into the domain, never read by it. Roster's own
 * `decidesForSelf` flag is not part of it: it stays in the view as the school's record, but who
 * decides is the professionals' per-field assessment (the student's capacity stream).
 */
export interface RosterSnapshot {
  readonly studentId: string;
  readonly linkedGuardianIds: readonly string[];
  /**
   * YYYY-MM-DD, read from roster's standing of the student for what widens access (grant, resume)
   * and a guardian's list: from the 18th birthday custody has ended (361/1983 3 §). Absent when not
   * read (pause, withdraw) or roster does not hold the student as enrolled: then no one is adult.
   */
  readonly birthDate?: string;
}

/** True when the party is a guardian currently linked to the snapshot's student. */
export function isLinkedGuardian(party: Party, roster: RosterSnapshot): boolean {
  return party.kind === 'guardian' && roster.linkedGuardianIds.includes(party.id);
}
