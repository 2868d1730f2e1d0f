import { deciderSpecification } from '@silta/testing/decider-spec';
import {
  ConsentError,
  capacityDecider,
  consentDecider,
  effectiveStatus,
  seesConsent,
  viewingRefusal,
  type CapacityEvent,
  type CapacityField,
  type ConsentCommand,
  type ConsentEvent,
  type ConsentGranted,
  type GrantConsent,
  type Party,
  type RosterSnapshot,
  type StudentCapacity,
} from '.';

// Given events, when a command, then events or a refusal (STYLE.md): no mocks, no I/O.

const T0 = new Date('2026-01-10T08:00:00.000Z');
const T1 = new Date('2026-01-11T08:00:00.000Z');
const T2 = new Date('2026-01-12T08:00:00.000Z');

const mother: Party = { kind: 'guardian', id: 'g-mother' };
const father: Party = { kind: 'guardian', id: 'g-father' };
const stranger: Party = { kind: 'guardian', id: 'g-stranger' };
const aino: Party = { kind: 'student', id: 's-aino' };

const roster: RosterSnapshot = { studentId: 's-aino', linkedGuardianIds: ['g-mother', 'g-father'] };

/** A professional of the field assessed Aino's capacity in it. */
const assessed = (field: CapacityField, decidesForSelf: boolean, at = T0): CapacityEvent => ({
  type: 'CapacityAssessed',
  studentId: 's-aino',
  field,
  decidesForSelf,
  assessedOn: at.toISOString().slice(0, 10),
  assessedBy: field === 'social_welfare' ? { id: 'p-curator', role: 'curator', org: 'welfare-area:itu-uusimaa' } : { id: 'p-nurse', role: 'nurse', org: 'welfare-area:itu-uusimaa' },
  at: at.toISOString(),
});
const capacity = (...events: CapacityEvent[]): StudentCapacity => events.reduce(capacityDecider.evolve, capacityDecider.initialState);
/** Nobody has assessed Aino: she decides nothing alone. */
const notAssessed = capacity();
/** Assessed as deciding for herself in both fields, so in whatever a consent addresses. */
const decidesForSelf = capacity(assessed('social_welfare', true), assessed('health_care', true));

const given = deciderSpecification(consentDecider, ConsentError);

function grantCommand(overrides: Partial<GrantConsent> = {}): GrantConsent {
  return {
    type: 'GrantConsent',
    consentId: 'c-1',
    studentId: 's-aino',
    actor: mother,
    categories: ['absences', 'grades'],
    recipient: { welfareAreaId: 'itu-uusimaa', roles: ['curator'] },
    purpose: 'follow-up of absences',
    roster,
    capacity: notAssessed,
    now: T0,
    ...overrides,
  };
}

function granted(overrides: Partial<ConsentGranted> = {}): ConsentGranted {
  return {
    type: 'ConsentGranted',
    consentId: 'c-1',
    version: 1,
    studentId: 's-aino',
    grantedBy: mother,
    scope: {
      categories: ['absences', 'grades'],
      recipient: { welfareAreaId: 'itu-uusimaa', roles: ['curator'] },
      purpose: 'follow-up of absences',
      validFrom: T0.toISOString(),
    },
    grantedAt: T0.toISOString(),
    ...overrides,
  };
}

const withdrawnEvent: ConsentEvent = { type: 'ConsentWithdrawn', consentId: 'c-1', version: 1, studentId: 's-aino', withdrawnBy: mother, withdrawnAt: T1.toISOString() };
const pausedEvent: ConsentEvent = { type: 'ConsentPaused', consentId: 'c-1', version: 1, studentId: 's-aino', pausedBy: mother, pausedAt: T1.toISOString() };

describe('granting a consent', () => {
  it('records version 1 by a linked guardian, with the period starting now by default', () => {
    given().when(grantCommand()).then([granted()]);
  });

  it('keeps an explicit period, normalised to UTC, and drops repeated categories and roles', () => {
    given()
      .when(
        grantCommand({
          categories: ['absences', 'absences', 'grades'],
          recipient: { welfareAreaId: 'itu-uusimaa', roles: ['curator', 'curator', 'nurse'] },
          purpose: '  follow-up of absences ',
          validFrom: new Date('2026-01-10T10:00:00+02:00'),
          validUntil: new Date('2026-06-01T00:00:00Z'),
        }),
      )
      .then([
        granted({
          scope: {
            categories: ['absences', 'grades'],
            recipient: { welfareAreaId: 'itu-uusimaa', roles: ['curator', 'nurse'] },
            purpose: 'follow-up of absences',
            validFrom: '2026-01-10T08:00:00.000Z',
            validUntil: '2026-06-01T00:00:00.000Z',
          },
        }),
      ]);
  });

  it('covers every welfare profession of the area when no roles are named', () => {
    given()
      .when(grantCommand({ recipient: { welfareAreaId: 'itu-uusimaa' } }))
      .then([granted({ scope: { ...granted().scope, recipient: { welfareAreaId: 'itu-uusimaa' } } })]);
  });

  it('refuses a guardian who is not linked to the student', () => {
    given().when(grantCommand({ actor: stranger })).thenThrows('not_a_guardian');
  });

  it('refuses a student nobody has assessed as deciding for themselves', () => {
    given().when(grantCommand({ actor: aino })).thenThrows('student_lacks_capacity');
  });

  it('records a student with capacity as the grantor', () => {
    given()
      .when(grantCommand({ actor: aino, capacity: decidesForSelf }))
      .then([granted({ grantedBy: aino })]);
  });

  it('refuses a linked guardian once the student is assessed as deciding for themselves', () => {
    given().when(grantCommand({ capacity: decidesForSelf })).thenThrows('student_decides_for_self');
  });

  it('refuses an unlinked guardian as unlinked, whatever the student decides', () => {
    given().when(grantCommand({ actor: stranger, capacity: decidesForSelf })).thenThrows('not_a_guardian');
  });

  it('refuses a student granting for someone else, even with capacity', () => {
    given()
      .when(grantCommand({ actor: { kind: 'student', id: 's-other' }, capacity: decidesForSelf }))
      .thenThrows('not_the_student');
  });

  it('refuses a period that ends before it starts, or has already ended', () => {
    given().when(grantCommand({ validFrom: T2, validUntil: T1 })).thenThrows('invalid_validity_period');
    given().when(grantCommand({ validFrom: new Date('2025-01-01T00:00:00Z'), validUntil: new Date('2025-12-31T00:00:00Z') })).thenThrows('invalid_validity_period');
  });
});

describe('capacity, judged per field by its professionals (potilaslaki 7 §, 812/2000 10–11 §)', () => {
  const forRoles = (roles: GrantConsent['recipient']['roles']) => ({ recipient: { welfareAreaId: 'itu-uusimaa', ...(roles ? { roles } : {}) } });
  const inSocialWelfare = capacity(assessed('social_welfare', true));
  const inHealthCare = capacity(assessed('health_care', true));

  it.each([
    ['curators', ['curator'], inSocialWelfare],
    ['nurses', ['nurse'], inHealthCare],
    ['doctors', ['doctor'], inHealthCare],
    ['psychologists', ['psychologist'], inHealthCare],
    ['nurses and psychologists', ['nurse', 'psychologist'], inHealthCare],
  ] as const)("lets a student grant their own consent for %s once assessed as deciding for themselves in that field, and refuses guardians", (_who, roles, assessments) => {
    given()
      .when(grantCommand({ actor: aino, ...forRoles(roles), capacity: assessments }))
      .then([expect.objectContaining({ type: 'ConsentGranted', grantedBy: aino })]);
    given().when(grantCommand({ ...forRoles(roles), capacity: assessments })).thenThrows('student_decides_for_self');
  });

  it.each([
    ['nurses, assessed only in social welfare', ['nurse'], inSocialWelfare],
    ['curators, assessed only in health care', ['curator'], inHealthCare],
    ['curators and nurses, assessed only in social welfare', ['curator', 'nurse'], inSocialWelfare],
    ['every profession (no roles named), assessed only in health care', undefined, inHealthCare],
  ] as const)("refuses the student's own consent for %s, and lets guardians grant it", (_what, roles, assessments) => {
    given().when(grantCommand({ actor: aino, ...forRoles(roles), capacity: assessments })).thenThrows('student_lacks_capacity');
    given().when(grantCommand({ ...forRoles(roles), capacity: assessments })).then([expect.objectContaining({ type: 'ConsentGranted', grantedBy: mother })]);
  });

  it('needs every field a consent for every profession addresses: both assessed, the student grants and guardians cannot', () => {
    given().when(grantCommand({ actor: aino, ...forRoles(undefined), capacity: decidesForSelf })).then([expect.objectContaining({ grantedBy: aino })]);
    given().when(grantCommand({ ...forRoles(undefined), capacity: decidesForSelf })).thenThrows('student_decides_for_self');
  });

  it('goes by the latest assessment of the field: assessed back to not deciding, guardians grant again and the student cannot', () => {
    const reassessed = capacity(assessed('social_welfare', true, T0), assessed('social_welfare', false, T1));
    given().when(grantCommand({ actor: aino, capacity: reassessed, now: T2 })).thenThrows('student_lacks_capacity');
    given().when(grantCommand({ capacity: reassessed, now: T2 })).then([expect.objectContaining({ grantedBy: mother })]);
  });

  it("lets the student resume their own consent only while still assessed as deciding for themselves in its fields", () => {
    const ownForNurses = granted({ grantedBy: aino, scope: { ...granted().scope, recipient: { welfareAreaId: 'itu-uusimaa', roles: ['nurse'] } } });
    const pausedByAino: ConsentEvent = { ...pausedEvent, pausedBy: aino };
    const resume = (assessments: StudentCapacity): ConsentCommand => ({ type: 'ResumeConsent', consentId: 'c-1', actor: aino, roster, capacity: assessments, now: T2 });
    given(ownForNurses, pausedByAino).when(resume(inHealthCare)).then([expect.objectContaining({ type: 'ConsentResumed', resumedBy: aino })]);
    given(ownForNurses, pausedByAino).when(resume(inSocialWelfare)).thenThrows('student_lacks_capacity');
    given(ownForNurses, pausedByAino).when(resume(capacity(assessed('health_care', true, T0), assessed('health_care', false, T1)))).thenThrows('student_lacks_capacity');
  });
});

describe('a new version of a consent', () => {
  it('supersedes the previous one with the next version number and the new scope', () => {
    given(granted())
      .when(grantCommand({ categories: ['absences'], now: T1 }))
      .then([granted({ version: 2, scope: { ...granted().scope, categories: ['absences'], validFrom: T1.toISOString() }, grantedAt: T1.toISOString() })]);
  });

  it('is for the grantor only, even another linked guardian', () => {
    given(granted()).when(grantCommand({ actor: father, now: T1 })).thenThrows('not_the_grantor');
  });

  it('makes a paused consent active again: granting is an explicit act', () => {
    const state = [granted(), pausedEvent, granted({ version: 2, grantedAt: T2.toISOString() })].reduce(consentDecider.evolve, consentDecider.initialState);
    expect(state).toMatchObject({ status: 'active', version: 2 });
  });

  it('is refused once the consent is withdrawn: withdrawal is final', () => {
    given(granted(), withdrawnEvent).when(grantCommand({ now: T2 })).thenThrows('consent_withdrawn');
  });

  it("is refused to the guardian who granted it once the student decides for themselves", () => {
    given(granted()).when(grantCommand({ capacity: decidesForSelf, now: T1 })).thenThrows('student_decides_for_self');
  });

  it('cannot take over a consent id of another student', () => {
    const otherRoster: RosterSnapshot = { studentId: 's-other', linkedGuardianIds: ['g-mother'] };
    given(granted()).when(grantCommand({ studentId: 's-other', roster: otherRoster, now: T1 })).thenThrows('consent_id_taken');
  });
});

describe('withdrawing a consent', () => {
  const withdraw = (actor: Party, snapshot: RosterSnapshot | undefined = roster, reason?: string): ConsentCommand => ({
    type: 'WithdrawConsent',
    consentId: 'c-1',
    actor,
    roster: snapshot,
    now: T1,
    ...(reason !== undefined ? { reason } : {}),
  });

  it('records the withdrawal by the grantor, with the current version and the reason', () => {
    given(granted(), granted({ version: 2 }))
      .when(withdraw(mother, roster, ' moved away '))
      .then([{ type: 'ConsentWithdrawn', consentId: 'c-1', version: 2, studentId: 's-aino', withdrawnBy: mother, reason: 'moved away', withdrawnAt: T1.toISOString() }]);
  });

  it("lets any linked guardian withdraw a guardian's consent", () => {
    given(granted())
      .when(withdraw(father))
      .then([{ type: 'ConsentWithdrawn', consentId: 'c-1', version: 1, studentId: 's-aino', withdrawnBy: father, withdrawnAt: T1.toISOString() }]);
  });

  it('lets the grantor withdraw even after being unlinked: withdrawing only ever stops data', () => {
    const unlinked: RosterSnapshot = { ...roster, linkedGuardianIds: ['g-father'] };
    given(granted()).when(withdraw(mother, unlinked)).then([expect.objectContaining({ type: 'ConsentWithdrawn', withdrawnBy: mother })]);
  });

  it('refuses an unlinked guardian who is not the grantor', () => {
    given(granted()).when(withdraw(stranger)).thenThrows('not_the_grantor');
  });

  it("refuses guardians on a student's own consent", () => {
    given(granted({ grantedBy: aino })).when(withdraw(mother, roster)).thenThrows('not_the_grantor');
  });

  it('is final: a second withdrawal is refused', () => {
    given(granted(), withdrawnEvent).when(withdraw(mother)).thenThrows('consent_withdrawn');
  });

  it('refuses a consent that does not exist', () => {
    given().when(withdraw(mother, undefined)).thenThrows('consent_not_found');
  });
});

describe('pausing and resuming a consent', () => {
  const pause = (actor: Party, now = T1, snapshot: RosterSnapshot = roster): ConsentCommand => ({ type: 'PauseConsent', consentId: 'c-1', actor, roster: snapshot, now });
  const resume = (actor: Party, now = T2, snapshot: RosterSnapshot = roster, assessments: StudentCapacity = notAssessed): ConsentCommand => ({
    type: 'ResumeConsent',
    consentId: 'c-1',
    actor,
    roster: snapshot,
    capacity: assessments,
    now,
  });

  it('pauses an active consent and resumes a paused one', () => {
    given(granted()).when(pause(mother)).then([pausedEvent]);
    given(granted(), pausedEvent)
      .when(resume(father))
      .then([{ type: 'ConsentResumed', consentId: 'c-1', version: 1, studentId: 's-aino', resumedBy: father, resumedAt: T2.toISOString() }]);
  });

  it('refuses to pause a paused consent or resume an active one', () => {
    given(granted(), pausedEvent).when(pause(mother, T2)).thenThrows('consent_already_paused');
    given(granted()).when(resume(mother)).thenThrows('consent_not_paused');
  });

  it('refuses both after a withdrawal', () => {
    given(granted(), withdrawnEvent).when(pause(mother, T2)).thenThrows('consent_withdrawn');
    given(granted(), pausedEvent, { ...withdrawnEvent, withdrawnAt: T2.toISOString() }).when(resume(mother)).thenThrows('consent_withdrawn');
  });

  it('refuses both once the consent has expired', () => {
    const shortLived = granted({ scope: { ...granted().scope, validUntil: T1.toISOString() } });
    given(shortLived).when(pause(mother, T2)).thenThrows('consent_expired');
    given(shortLived, { ...pausedEvent, pausedAt: T0.toISOString() }).when(resume(mother)).thenThrows('consent_expired');
  });

  it('refuses someone who is neither the grantor nor a linked guardian', () => {
    given(granted()).when(pause(stranger)).thenThrows('not_the_grantor');
  });

  it('lets only those who still stand as grantors resume: an unlinked guardian cannot', () => {
    const unlinked: RosterSnapshot = { ...roster, linkedGuardianIds: ['g-father'] };
    given(granted(), pausedEvent).when(resume(mother, T2, unlinked)).thenThrows('not_a_guardian');
  });

  it("lets guardians pause but not resume their consent once the student decides for themselves", () => {
    given(granted()).when(pause(father, T1, roster)).then([{ ...pausedEvent, pausedBy: father }]);
    given(granted(), pausedEvent).when(resume(mother, T2, roster, decidesForSelf)).thenThrows('student_decides_for_self');
  });

  it('lets a student who lost capacity pause but not resume their own consent', () => {
    const studentConsent = granted({ grantedBy: aino });
    given(studentConsent).when(pause(aino, T1, roster)).then([{ ...pausedEvent, pausedBy: aino }]);
    given(studentConsent, { ...pausedEvent, pausedBy: aino }).when(resume(aino, T2, roster)).thenThrows('student_lacks_capacity');
  });
});

describe('withdrawing after the student starts deciding for themselves', () => {
  it("still lets a linked guardian withdraw a guardian's consent: withdrawing only ever stops data", () => {
    given(granted())
      .when({ type: 'WithdrawConsent', consentId: 'c-1', actor: father, roster, now: T1 })
      .then([expect.objectContaining({ type: 'ConsentWithdrawn', withdrawnBy: father })]);
  });
});

describe('from the 18th birthday, in Helsinki (361/1983 3 §): the student decides alone, guardians only narrow', () => {
  /** Aino turns 18 on 11 January 2026; in January Helsinki is UTC+2. */
  const turning18 = { ...roster, birthDate: '2008-01-11' };
  const dayBefore = new Date('2026-01-10T12:00:00.000Z');
  /** 23:30 on 10 January in Helsinki: still the eve. */
  const eve = new Date('2026-01-10T21:30:00.000Z');
  /** 00:30 on 11 January in Helsinki, 22:30 UTC the evening before: the birthday has begun. */
  const birthdayInHelsinki = new Date('2026-01-10T22:30:00.000Z');
  const dayAfter = new Date('2026-01-12T08:00:00.000Z');
  const grantAt = (actor: Party, now: Date, snapshot: RosterSnapshot = turning18) => grantCommand({ actor, now, roster: snapshot });
  const grantedBy = (actor: Party) => [expect.objectContaining({ type: 'ConsentGranted', grantedBy: actor })];

  it('lets an adult student grant their own consent with no assessment at all, from 00:00 on the birthday in Helsinki', () => {
    given().when(grantAt(aino, birthdayInHelsinki)).then(grantedBy(aino));
    given().when(grantAt(aino, dayAfter)).then(grantedBy(aino));
    given().when(grantAt(aino, eve)).thenThrows('student_lacks_capacity');
    given().when(grantAt(aino, dayBefore)).thenThrows('student_lacks_capacity');
  });

  it("refuses a guardian's grant from the birthday on, and takes it the day before", () => {
    given().when(grantAt(mother, birthdayInHelsinki)).thenThrows('student_is_adult');
    given().when(grantAt(mother, dayAfter)).thenThrows('student_is_adult');
    given().when(grantAt(mother, eve)).then(grantedBy(mother));
    given().when(grantAt(mother, dayBefore)).then(grantedBy(mother));
  });

  it('says why in the refusal: custody ends at 18 under 361/1983 3 §', () => {
    expect(() => consentDecider.decide(grantAt(mother, dayAfter), consentDecider.initialState)).toThrow(/361\/1983 3 §/);
    expect(new ConsentError('student_is_adult', '').kind).toBe('forbidden');
  });

  it('still refuses a guardian no longer linked as not_a_guardian, adult or not', () => {
    given().when(grantAt(stranger, dayAfter)).thenThrows('not_a_guardian');
  });

  it('counts a 29 February birthday as 1 March in a year without one', () => {
    const leapling = { ...roster, birthDate: '2008-02-29' };
    given().when(grantAt(aino, new Date('2026-02-28T12:00:00.000Z'), leapling)).thenThrows('student_lacks_capacity');
    given().when(grantAt(mother, new Date('2026-02-28T12:00:00.000Z'), leapling)).then(grantedBy(mother));
    // 00:30 on 1 March in Helsinki.
    given().when(grantAt(aino, new Date('2026-02-28T22:30:00.000Z'), leapling)).then(grantedBy(aino));
    given().when(grantAt(mother, new Date('2026-02-28T22:30:00.000Z'), leapling)).thenThrows('student_is_adult');
  });

  it('takes no birth date (roster does not hold the student as enrolled) as a minor: assessments decide, as before', () => {
    given().when(grantAt(aino, dayAfter, roster)).thenThrows('student_lacks_capacity');
    given().when(grantAt(mother, dayAfter, roster)).then(grantedBy(mother));
  });

  const paused: ConsentEvent = { ...pausedEvent, pausedAt: dayBefore.toISOString() };
  const resume = (actor: Party, now: Date): ConsentCommand => ({ type: 'ResumeConsent', consentId: 'c-1', actor, roster: turning18, capacity: notAssessed, now });

  it("refuses a guardian's resume from the birthday on; the adult resumes their own consent unassessed", () => {
    given(granted(), paused).when(resume(mother, birthdayInHelsinki)).thenThrows('student_is_adult');
    given(granted(), paused).when(resume(father, eve)).then([expect.objectContaining({ type: 'ConsentResumed', resumedBy: father })]);
    const own = granted({ grantedBy: aino });
    given(own, { ...paused, pausedBy: aino }).when(resume(aino, dayAfter)).then([expect.objectContaining({ type: 'ConsentResumed', resumedBy: aino })]);
  });

  it('still lets a guardian pause and withdraw what guardians granted: both only stop data', () => {
    given(granted()).when({ type: 'PauseConsent', consentId: 'c-1', actor: mother, roster: turning18, now: dayAfter }).then([expect.objectContaining({ type: 'ConsentPaused', pausedBy: mother })]);
    given(granted()).when({ type: 'WithdrawConsent', consentId: 'c-1', actor: father, roster: turning18, now: dayAfter }).then([expect.objectContaining({ type: 'ConsentWithdrawn', withdrawnBy: father })]);
    // As the handlers send them: no birth date read for a narrowing change.
    given(granted()).when({ type: 'PauseConsent', consentId: 'c-1', actor: mother, roster, now: dayAfter }).then([expect.objectContaining({ type: 'ConsentPaused' })]);
  });

  it("refuses a guardian the adult's consents, as disclosure refuses them the adult's log and report; the student sees them", () => {
    expect(viewingRefusal(mother, 's-aino', turning18, birthdayInHelsinki)?.code).toBe('student_is_adult');
    expect(viewingRefusal(mother, 's-aino', turning18, eve)).toBeUndefined();
    expect(viewingRefusal(aino, 's-aino', turning18, dayAfter)).toBeUndefined();
    expect(viewingRefusal(stranger, 's-aino', turning18, dayAfter)?.code).toBe('not_a_guardian');
  });
});

describe('who sees which consents', () => {
  it('shows the student every consent, and guardians only those guardians granted', () => {
    expect(seesConsent(aino, mother)).toBe(true);
    expect(seesConsent(aino, aino)).toBe(true);
    expect(seesConsent(father, mother)).toBe(true);
    expect(seesConsent(mother, aino)).toBe(false);
  });
});

describe('effective status', () => {
  it('is expired once validUntil has passed, computed without an event, and withdrawn stays withdrawn', () => {
    expect(effectiveStatus({ status: 'active', validUntil: T1.toISOString() }, T0)).toBe('active');
    expect(effectiveStatus({ status: 'active', validUntil: T1.toISOString() }, T1)).toBe('expired');
    expect(effectiveStatus({ status: 'paused', validUntil: T1.toISOString() }, T2)).toBe('expired');
    expect(effectiveStatus({ status: 'withdrawn', validUntil: T1.toISOString() }, T2)).toBe('withdrawn');
    expect(effectiveStatus({ status: 'paused', validUntil: null }, T2)).toBe('paused');
  });
});
