import { resolve } from 'node:path';
import fc from 'fast-check';
import { EducationForm } from '@silta/contracts';
import {
  BASES,
  CATEGORIES,
  DENY_REASONS,
  IDENTIFICATION_CATEGORIES,
  PERMIT_REASONS,
  PROFESSIONS,
  decide,
  type Assignment,
  type CapacityAssessment,
  type Category,
  type Consent,
  type Decision,
  type DecisionInput,
  type DecisionSnapshot,
  type Policy,
  type Requester,
} from './decision';
import { loadPolicyFile } from './policy-document';

/** The default policy the disclosure app ships. */
const DEFAULT_POLICY_PATH = resolve(__dirname, '../../../apps/disclosure/policy/default.policy.yaml');

/*
 * Properties of the decision point over generated situations, requests and policies (issue 4):
 * (a) no permit without a recognised basis and a valid assignment; (b) after a withdrawal, expiry,
 * unlink, transfer or a student's own capacity, no later decision relies on what ended; (c) the
 * decision is deterministic, pure, and its overall outcome summarises the categories.
 *
 * Identifiers come from small pools so that generated situations often do match the requester:
 * a property that only ever sees denials proves little (see the last test).
 */

const BASE = Date.parse('2026-03-10T00:00:00.000Z');
const MINUTE = 60_000;
const DAY = 24 * 60;
const at = (minutes: number): string => new Date(BASE + minutes * MINUTE).toISOString();
const instant = (fromDays: number, toDays: number) => fc.integer({ min: fromDays * DAY, max: toDays * DAY }).map(at);
const day = (fromDays: number, toDays: number) => fc.integer({ min: fromDays, max: toDays }).map((d) => at(d * DAY).slice(0, 10));
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
/** Mostly `usual`, sometimes one of the others. */
const mostly = <T>(usual: T, ...others: T[]) => fc.oneof({ arbitrary: fc.constant(usual), weight: 3 }, { arbitrary: fc.constantFrom(usual, ...others), weight: 1 });

const SCHOOLS = ['school-1', 'school-2'];
const GUARDIANS = ['g-1', 'g-2', 'g-3'];
const LONG_JUSTIFICATION = 'The pupil has been absent for three weeks; the family asked for help.';

const categorySet = fc.subarray([...CATEGORIES]);
const roleArb = fc.constantFrom(...PROFESSIONS);

const policyArb: fc.Arbitrary<Policy> = fc.record({
  id: fc.constant('municipality:generated/disclosure-policy'),
  version: fc.constant('generated'),
  hash: fc.constant('0'.repeat(64)),
  necessity: fc.record({ curator: categorySet, psychologist: categorySet, nurse: categorySet, doctor: categorySet }),
  emergency: fc.record({ categories: categorySet, windowMinutes: fc.integer({ min: 1, max: 600 }) }),
  requireWelfareAccessActivation: fc.boolean(),
  consentFrom: fc.constantFrom('any_guardian' as const, 'all_guardians' as const),
  minJustificationLength: fc.integer({ min: 1, max: 60 }),
  municipality: mostly('m-1', 'm-2'),
});

const requesterArb: fc.Arbitrary<Requester> = fc.record({
  professionalId: mostly('p-1', 'p-2'),
  role: roleArb,
  welfareAreaId: mostly('w-1', 'w-2'),
});

/** Mostly the requester's own assignments (school, dates and status vary), sometimes anyone's. */
function assignmentArb(requester: Requester): fc.Arbitrary<Assignment> {
  const anyone = fc.record({
    professionalId: mostly(requester.professionalId, 'p-other'),
    role: roleArb,
    welfareAreaId: mostly(requester.welfareAreaId, 'w-other'),
  });
  return fc.record({
    assignmentId: fc.constantFrom('a-1', 'a-2', 'a-3'),
    who: fc.oneof({ arbitrary: fc.constant(requester), weight: 4 }, { arbitrary: anyone, weight: 1 }),
    schoolId: mostly('school-1', 'school-2'),
    validFrom: day(-400, 3),
    validUntil: optional(day(-5, 400)),
    ended: mostly(false, true),
  }).map(({ who, ...rest }) => ({ ...rest, professionalId: who.professionalId, role: who.role, welfareAreaId: who.welfareAreaId }));
}

function consentArb(requester: Requester): fc.Arbitrary<Consent> {
  return fc.record({
    consentId: fc.constantFrom('c-1', 'c-2', 'c-3', 'c-4', 'c-5', 'c-6'),
    version: fc.integer({ min: 1, max: 3 }),
    grantedBy: fc.oneof(
      { arbitrary: fc.record({ kind: fc.constant('guardian' as const), id: fc.constantFrom(...GUARDIANS) }), weight: 3 },
      { arbitrary: fc.record({ kind: fc.constant('student' as const), id: mostly('s-1', 's-2') }), weight: 1 },
    ),
    categories: fc.oneof({ arbitrary: fc.subarray([...CATEGORIES], { minLength: 4 }), weight: 3 }, { arbitrary: fc.subarray([...CATEGORIES], { minLength: 1 }), weight: 1 }),
    welfareAreaId: mostly(requester.welfareAreaId, 'w-other'),
    roles: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.subarray([...PROFESSIONS], { minLength: 1 }), weight: 1 }),
    status: mostly('active' as const, 'paused' as const, 'withdrawn' as const),
    validFrom: instant(-300, 2),
    validUntil: optional(instant(-30, 300)),
    grantedAt: fc.oneof({ arbitrary: instant(-400, 0), weight: 5 }, { arbitrary: fc.constant(undefined), weight: 1 }),
  });
}

/**
 * Birth dates around the 18th birthday at the generated decision times (10–12 March 2026), a child
 * and an adult. None on 29 February: that rule is in the decision table.
 */
const BIRTH_DATES = ['2008-03-09', '2008-03-10', '2008-03-11', '2008-03-12', '2008-03-13', '2012-05-06', '1999-11-30'];
/** Birth dates that make the student 18 or more at every generated decision time (from 10 March 2026). */
const ADULT_BIRTH_DATES = ['2008-03-10', '2008-03-09', '2008-02-29', '2007-12-31', '1999-11-30'];

/**
 * The oracle's own reading of 361/1983 3 §, independent of decide(): 18 or more from the 18th
 * birthday in Helsinki. The generated decision times lie in March 2026 before summer time, when
 * Helsinki is UTC+2.
 */
function adultAt(birthDate: string | undefined, now: string): boolean {
  if (birthDate === undefined) return false;
  const helsinkiDay = new Date(Date.parse(now) + 2 * 3_600_000).toISOString().slice(0, 10);
  return helsinkiDay >= `${Number(birthDate.slice(0, 4)) + 18}${birthDate.slice(4)}`;
}
/**
 * The oracle's reading of who decides (issue 12 items 3 and 4): an adult always; otherwise the
 * assessment by a professional of the requester's field (curator: social welfare; the others:
 * health care), or the school's flag in a decision recorded before assessments existed.
 */
function decidesAlone(input: DecisionInput): boolean {
  const student = input.snapshot.student;
  if (student === undefined) return false;
  if (adultAt(student.birthDate, input.now)) return true;
  if (student.capacity === undefined) return student.decidesForSelf;
  const field = input.requester.role === 'curator' ? 'social_welfare' : 'health_care';
  return student.capacity[field]?.decidesForSelf === true;
}

/** The oracle's reading of 1287/2013 1 §: adult upper-secondary students only while under 18 and in compulsory education. */
const coveredByStudentWelfareAct = (input: DecisionInput) => {
  const student = input.snapshot.student;
  return student?.educationForm !== 'adult_upper_secondary' || (student.inCompulsoryEducation === true && !adultAt(student.birthDate, input.now));
};

const assessment = (decidesForSelf: boolean, role: Requester['role']): CapacityAssessment => ({ decidesForSelf, assessedOn: '2026-02-01', assessedBy: { professionalId: `${role}-9`, role } });
/** No assessment recorded (a decision made before them), none yet, or one per field either way. */
const capacityArb = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 1 },
  {
    arbitrary: fc.record(
      { social_welfare: fc.boolean().map((yes) => assessment(yes, 'curator')), health_care: fc.boolean().map((yes) => assessment(yes, 'nurse')) },
      { requiredKeys: [] },
    ),
    weight: 3,
  },
);

/** Mostly long before any consent was granted; sometimes in between. */
const linkedAt = fc.oneof({ arbitrary: instant(-600, -400), weight: 3 }, { arbitrary: instant(-400, 0), weight: 1 });

function snapshotArb(requester: Requester): fc.Arbitrary<DecisionSnapshot> {
  return fc
    .record({
      student: fc.oneof(
        {
          arbitrary: fc.record({
            schoolId: mostly('school-1', 'school-2'),
            decidesForSelf: mostly(false, true),
            capacity: capacityArb,
            educationForm: optional(fc.constantFrom(...EducationForm.options)),
            inCompulsoryEducation: optional(fc.boolean()),
            birthDate: fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: fc.constantFrom(...BIRTH_DATES), weight: 1 }),
            welfareAccessActive: fc.boolean(),
            enrolledAt: fc.oneof({ arbitrary: instant(-500, -300), weight: 3 }, { arbitrary: optional(instant(-300, 1)), weight: 1 }),
            servedBy: fc.oneof({ arbitrary: fc.constant(requester.welfareAreaId), weight: 6 }, { arbitrary: fc.constantFrom('w-other', null), weight: 1 }),
            municipalityId: fc.oneof({ arbitrary: fc.constant('m-1'), weight: 6 }, { arbitrary: fc.constantFrom('m-2', null), weight: 1 }),
          }),
          weight: 6,
        },
        { arbitrary: fc.constant(undefined), weight: 1 },
      ),
      assignments: fc.oneof({ arbitrary: fc.array(assignmentArb(requester), { minLength: 1, maxLength: 3 }), weight: 5 }, { arbitrary: fc.constant([]), weight: 1 }),
      consents: fc.oneof({ arbitrary: fc.array(consentArb(requester), { minLength: 1, maxLength: 6 }), weight: 5 }, { arbitrary: fc.constant([]), weight: 1 }),
      linkedGuardianIds: fc.oneof({ arbitrary: fc.subarray(GUARDIANS, { minLength: 1 }), weight: 4 }, { arbitrary: fc.constant([]), weight: 1 }),
      guardianLinkedAt: optional(fc.record({ 'g-1': linkedAt, 'g-2': linkedAt, 'g-3': linkedAt }, { requiredKeys: [] })),
      emergencyWindowStartedAt: optional(instant(-2, 2)),
    })
    .map((s) => s as DecisionSnapshot);
}

const scenarioArb: fc.Arbitrary<DecisionInput> = requesterArb.chain((requester) =>
  fc.record({
    request: fc.record({
      requestId: fc.constant('r-1'),
      studentId: fc.constant('s-1'),
      categories: fc.oneof({ arbitrary: fc.array(fc.constantFrom(...CATEGORIES), { minLength: 1, maxLength: 6 }), weight: 9 }, { arbitrary: fc.constant([]), weight: 1 }),
      basis: fc.constantFrom(...BASES),
      purpose: fc.constant('student welfare'),
      caseId: fc.oneof({ arbitrary: fc.constant('case-1'), weight: 3 }, { arbitrary: optional(fc.constantFrom('  ', '')), weight: 1 }),
      justification: fc.oneof(
        { arbitrary: fc.constant(LONG_JUSTIFICATION), weight: 2 },
        { arbitrary: fc.constant(undefined), weight: 1 },
        { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
      ),
      urgent: optional(fc.boolean()),
    }),
    requester: fc.constant(requester),
    snapshot: snapshotArb(requester),
    policy: policyArb,
    now: instant(0, 2),
  }),
);

// ---------------------------------------------------------------------------------------------
// (a) The oracle: what must hold for a permit, written out independently of decide().
// ---------------------------------------------------------------------------------------------

const ms = (iso: string) => Date.parse(iso);
const justified = (input: DecisionInput) => [...(input.request.justification ?? '').trim()].length >= input.policy.minJustificationLength;

function validAssignment(input: DecisionInput, assignmentId: string | undefined): boolean {
  const { snapshot, requester, now } = input;
  const today = now.slice(0, 10);
  return snapshot.assignments.some(
    (a) =>
      a.assignmentId === assignmentId &&
      !a.ended &&
      a.professionalId === requester.professionalId &&
      a.role === requester.role &&
      a.welfareAreaId === requester.welfareAreaId &&
      a.schoolId === snapshot.student?.schoolId &&
      a.validFrom <= today &&
      (!a.validUntil || a.validUntil >= today),
  );
}

/** The consent exactly as named, if it is the newest version, never withdrawn, and fits everything. */
function consentHolds(input: DecisionInput, ref: { consentId: string; version: number }, category: Category): boolean {
  const { snapshot, requester, request, now } = input;
  const versions = snapshot.consents.filter((c) => c.consentId === ref.consentId);
  const named = versions.find((c) => c.version === ref.version);
  if (!named || versions.some((c) => c.version > named.version || c.status === 'withdrawn')) return false;
  const grantedAfter = (since: string | undefined) => since === undefined || (named.grantedAt !== undefined && ms(named.grantedAt) > ms(since));
  const byWhom = decidesAlone(input)
    ? named.grantedBy.kind === 'student' && named.grantedBy.id === request.studentId
    : named.grantedBy.kind === 'guardian' && snapshot.linkedGuardianIds.includes(named.grantedBy.id) && grantedAfter(snapshot.guardianLinkedAt?.[named.grantedBy.id]);
  return (
    byWhom &&
    named.status === 'active' &&
    ms(named.validFrom) <= ms(now) &&
    (named.validUntil === undefined || ms(now) < ms(named.validUntil)) &&
    named.welfareAreaId === requester.welfareAreaId &&
    (named.roles === undefined || named.roles.includes(requester.role)) &&
    named.categories.includes(category) &&
    grantedAfter(snapshot.student?.enrolledAt)
  );
}

/** Every permit the oracle cannot justify, described; empty when all are justified. */
function unjustifiedPermits(input: DecisionInput, decision: Decision): string[] {
  const { request, requester, snapshot, policy } = input;
  return decision.categories.flatMap((c) => {
    if (c.outcome !== 'permit') return [];
    const problems: string[] = [];
    if (!snapshot.student) problems.push('no student');
    if (snapshot.student?.servedBy !== requester.welfareAreaId) problems.push("the student's school is not served by the requester's welfare area");
    if (policy.municipality !== undefined && snapshot.student?.municipalityId !== policy.municipality) problems.push("another municipality's student");
    if (!validAssignment(input, decision.assignmentId)) problems.push(`assignment ${decision.assignmentId} does not cover`);
    if (policy.requireWelfareAccessActivation && !snapshot.student?.welfareAccessActive) problems.push('welfare access inactive');
    switch (request.basis) {
      case 'identification':
        if (c.reason !== 'identification_data' || !IDENTIFICATION_CATEGORIES.includes(c.category)) problems.push('not identification data');
        break;
      case 'necessity':
        if (
          c.reason !== 'necessary_for_case' ||
          !request.caseId?.trim() ||
          !justified(input) ||
          !policy.necessity[requester.role].includes(c.category) ||
          !coveredByStudentWelfareAct(input)
        ) {
          problems.push('necessity not met');
        }
        break;
      case 'emergency': {
        const window = decision.emergencyWindow;
        const inWindow = window !== undefined && ms(window.startedAt) <= ms(input.now) && ms(input.now) < ms(window.endsAt);
        if (c.reason !== 'emergency' || !justified(input) || !policy.emergency.categories.includes(c.category) || !inWindow) problems.push('emergency not met');
        break;
      }
      case 'consent': {
        const refs = c.consents ?? [];
        if (c.reason !== 'consent_given' || refs.length === 0 || !refs.every((ref) => consentHolds(input, ref, c.category))) problems.push('consent does not hold');
        if (c.consent && (c.consent.consentId !== refs[0]?.consentId || c.consent.version !== refs[0]?.version)) problems.push('consent is not the first of consents');
        if (policy.consentFrom === 'all_guardians' && !decidesAlone(input)) {
          const grantors = new Set(refs.map((ref) => snapshot.consents.find((x) => x.consentId === ref.consentId && x.version === ref.version)?.grantedBy.id));
          if (!snapshot.linkedGuardianIds.every((g) => grantors.has(g))) problems.push('not every guardian consented');
        }
        break;
      }
    }
    return problems.map((p) => `${c.category}: ${p}`);
  });
}

describe('(a) no permit without a recognised basis and a valid assignment', () => {
  it('holds for generated situations, requests and policies', () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        expect(unjustifiedPermits(input, decide(input))).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// (b) Endings: withdrawal, expiry, unlink (and relink), transfer, the student's own capacity.
// ---------------------------------------------------------------------------------------------

type EndingKind = 'withdrawal' | 'withdrawal as a new version' | 'expiry' | 'unlink' | 'unlink and relink' | 'transfer' | 'capacity';
const ENDINGS: readonly EndingKind[] = ['withdrawal', 'withdrawal as a new version', 'expiry', 'unlink', 'unlink and relink', 'transfer', 'capacity'];

interface Ending {
  readonly after: DecisionInput;
  /** Whether a consent (as it stood) depended on what ended. */
  readonly ended: (consent: Consent) => boolean;
  /** Whether the ending can only take permits away. */
  readonly onlyTakesAway: boolean;
}

function applyEnding(input: DecisionInput, kind: EndingKind, pick: number, minutes: number): Ending | undefined {
  const s = input.snapshot;
  const withSnapshot = (change: Partial<DecisionSnapshot>): DecisionInput => ({ ...input, snapshot: { ...s, ...change } });
  const chosen = s.consents.length > 0 ? s.consents[pick % s.consents.length]! : undefined;
  const sameConsent = (c: Consent) => c.consentId === chosen?.consentId;
  const latestGrant = Math.max(BASE - 600 * DAY * MINUTE, ...s.consents.flatMap((c) => (c.grantedAt ? [ms(c.grantedAt)] : [])));
  const afterEveryGrant = new Date(latestGrant + minutes * MINUTE).toISOString();
  switch (kind) {
    case 'withdrawal':
      if (!chosen) return undefined;
      // Only the chosen version is marked: a withdrawal is final even if a newer version is listed.
      return { after: withSnapshot({ consents: s.consents.map((c) => (c === chosen ? { ...c, status: 'withdrawn' } : c)) }), ended: sameConsent, onlyTakesAway: true };
    case 'withdrawal as a new version': {
      if (!chosen) return undefined;
      const version = Math.max(...s.consents.filter(sameConsent).map((c) => c.version)) + 1;
      return { after: withSnapshot({ consents: [...s.consents, { ...chosen, version, status: 'withdrawn' }] }), ended: sameConsent, onlyTakesAway: true };
    }
    case 'expiry': {
      if (!chosen) return undefined;
      const expired = new Date(ms(input.now) - minutes * MINUTE).toISOString();
      return { after: withSnapshot({ consents: s.consents.map((c) => (sameConsent(c) ? { ...c, validUntil: expired } : c)) }), ended: sameConsent, onlyTakesAway: true };
    }
    case 'unlink':
    case 'unlink and relink': {
      if (s.linkedGuardianIds.length === 0) return undefined;
      const guardian = s.linkedGuardianIds[pick % s.linkedGuardianIds.length]!;
      const ended = (c: Consent) => c.grantedBy.kind === 'guardian' && c.grantedBy.id === guardian;
      const after =
        kind === 'unlink'
          ? withSnapshot({ linkedGuardianIds: s.linkedGuardianIds.filter((g) => g !== guardian) })
          : withSnapshot({ guardianLinkedAt: { ...s.guardianLinkedAt, [guardian]: afterEveryGrant } });
      // With all guardians required, one guardian fewer can leave the others' consents sufficient.
      return { after, ended, onlyTakesAway: false };
    }
    case 'transfer': {
      if (!s.student) return undefined;
      const schoolId = pick % 2 === 0 ? s.student.schoolId : SCHOOLS.find((school) => school !== s.student!.schoolId)!;
      return { after: withSnapshot({ student: { ...s.student, schoolId, enrolledAt: afterEveryGrant } }), ended: () => true, onlyTakesAway: false };
    }
    case 'capacity': {
      if (!s.student) return undefined;
      // A professional of the requester's field judges the student able to decide; in a decision
      // recorded before such assessments, the school's flag said so.
      const field = input.requester.role === 'curator' ? 'social_welfare' : 'health_care';
      const student =
        s.student.capacity === undefined
          ? { ...s.student, decidesForSelf: true }
          : { ...s.student, capacity: { ...s.student.capacity, [field]: assessment(true, input.requester.role) } };
      return { after: withSnapshot({ student }), ended: (c) => c.grantedBy.kind === 'guardian', onlyTakesAway: false };
    }
  }
}

/**
 * A situation in which consents often permit: the consent basis, the student enrolled, and the
 * requester validly assigned to the student's school (preconditions are property (a)'s concern).
 */
const consentScenarioArb = scenarioArb.map((input): DecisionInput => {
  const student = {
    ...(input.snapshot.student ?? { schoolId: 'school-1', decidesForSelf: false, welfareAccessActive: true, enrolledAt: at(-500 * DAY) }),
    servedBy: input.requester.welfareAreaId,
    municipalityId: input.policy.municipality ?? null,
  };
  const valid: Assignment = { assignmentId: 'a-valid', ...input.requester, schoolId: student.schoolId, validFrom: '2025-08-01', ended: false };
  return {
    ...input,
    request: { ...input.request, basis: 'consent' },
    snapshot: { ...input.snapshot, student: { ...student, welfareAccessActive: true }, assignments: [...input.snapshot.assignments, valid] },
  };
});

describe('(b) after an ending, no later decision relies on what ended', () => {
  it('holds for withdrawals, expiries, unlinks, relinks, transfers and capacity', () => {
    fc.assert(
      fc.property(consentScenarioArb, fc.constantFrom(...ENDINGS), fc.nat(), fc.integer({ min: 0, max: 3 * DAY }), (before, kind, pick, minutes) => {
        const ending = applyEnding(before, kind, pick, minutes);
        fc.pre(ending !== undefined);
        const decision = decide(ending.after);
        for (const c of decision.categories) {
          if (c.outcome !== 'permit') continue;
          for (const ref of c.consents ?? []) {
            const relied = ending.after.snapshot.consents.find((x) => x.consentId === ref.consentId && x.version === ref.version)!;
            expect({ kind, relied, ended: ending.ended(relied) }).toEqual({ kind, relied, ended: false });
          }
        }
        if (ending.onlyTakesAway) {
          const earlier = decide(before).categories;
          decision.categories.forEach((c, i) => {
            if (c.outcome === 'permit') expect(earlier[i]!.outcome).toBe('permit');
          });
        }
      }),
      { numRuns: 2000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// (c) Determinism, purity, and the overall outcome.
// ---------------------------------------------------------------------------------------------

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('(c) the decision is deterministic and its outcome summarises the categories', () => {
  it('decides the same input the same way, without changing it', () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const copy = structuredClone(input);
        const first = decide(deepFreeze(input));
        expect(decide(copy)).toEqual(first);
        expect(copy).toEqual(input);
      }),
    );
  });

  it('answers every category asked for, in order, with a reason of the right kind, and summarises them', () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const decision = decide(input);
        expect(decision.categories.map((c) => c.category)).toEqual(input.request.categories);
        for (const c of decision.categories) {
          expect(c.outcome === 'permit' ? PERMIT_REASONS : DENY_REASONS).toContain(c.reason);
          expect(c.reason).not.toBe('basis_not_supported');
        }
        const permits = decision.categories.filter((c) => c.outcome === 'permit').length;
        const outcome = permits === 0 ? 'deny' : permits === decision.categories.length ? 'permit' : 'partial';
        expect(decision.outcome).toBe(outcome);
      }),
    );
  });

  it('flags by basis, and boxes emergency permits in a window of the policy length around now', () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const decision = decide(input);
        const urgentNecessity = input.request.basis === 'necessity' && input.request.urgent === true;
        expect(decision.flags).toEqual({ supervision: input.request.basis === 'necessity', review: input.request.basis === 'emergency' || urgentNecessity });
        const permitted = decision.categories.some((c) => c.outcome === 'permit');
        expect(decision.emergencyWindow !== undefined).toBe(input.request.basis === 'emergency' && permitted);
        if (decision.emergencyWindow) {
          const { startedAt, endsAt } = decision.emergencyWindow;
          expect(ms(endsAt) - ms(startedAt)).toBe(input.policy.emergency.windowMinutes * MINUTE);
          expect(ms(startedAt)).toBeLessThanOrEqual(ms(input.now));
          expect(ms(input.now)).toBeLessThan(ms(endsAt));
        }
      }),
    );
  });
});

describe('necessity is only where the policy gives it (issue 12)', () => {
  it('permits nothing on necessity to a profession whose policy set is empty, whatever else holds', () => {
    fc.assert(
      fc.property(scenarioArb, (generated) => {
        const input: DecisionInput = {
          ...generated,
          request: { ...generated.request, basis: 'necessity' },
          policy: { ...generated.policy, necessity: { ...generated.policy.necessity, [generated.requester.role]: [] } },
        };
        expect(decide(input).categories.filter((c) => c.outcome === 'permit')).toEqual([]);
      }),
    );
  });

  it('permits nothing on necessity to a nurse, doctor or psychologist under the shipped default policy', () => {
    const shipped = loadPolicyFile(DEFAULT_POLICY_PATH);
    fc.assert(
      fc.property(scenarioArb, fc.constantFrom('nurse' as const, 'doctor' as const, 'psychologist' as const), (generated, role) => {
        const input: DecisionInput = {
          ...generated,
          request: { ...generated.request, basis: 'necessity' },
          requester: { ...generated.requester, role },
          snapshot: {
            ...generated.snapshot,
            ...(generated.snapshot.student ? { student: { ...generated.snapshot.student, municipalityId: shipped.municipality ?? null } } : {}),
            assignments: generated.snapshot.assignments.map((a) => ({ ...a, role })),
          },
          policy: shipped,
        };
        expect(decide(input).categories.filter((c) => c.outcome === 'permit')).toEqual([]);
      }),
    );
  });
});

describe('guardianship ends at 18 (361/1983 3 §, issue 12 item 3)', () => {
  /** A student of 18 or more who does not decide for themselves by the school's flag, on basis consent. */
  const adultArb = fc.tuple(consentScenarioArb, fc.constantFrom(...ADULT_BIRTH_DATES)).map(
    ([generated, birthDate]): DecisionInput => ({
      ...generated,
      snapshot: {
        ...generated.snapshot,
        student: { ...generated.snapshot.student!, decidesForSelf: false, birthDate },
      },
    }),
  );
  const grantorOf = (input: DecisionInput, ref: { consentId: string; version: number }) =>
    input.snapshot.consents.find((c) => c.consentId === ref.consentId && c.version === ref.version)?.grantedBy;

  it('lets no guardian consent count for a student of 18 or more', () => {
    fc.assert(
      fc.property(adultArb, (input) => {
        const relied = decide(input).categories.flatMap((c) => (c.outcome === 'permit' ? [...(c.consents ?? []), ...(c.consent ? [c.consent] : [])] : []));
        expect(relied.map((ref) => grantorOf(input, ref)?.kind)).not.toContain('guardian');
      }),
      { numRuns: 1000 },
    );
  });

  it('still permits on the adult student’s own consent (the property above is not met by denying everything)', () => {
    const permits = fc.sample(adultArb, { numRuns: 2000, seed: 18 }).filter((input) => decide(input).categories.some((c) => c.outcome === 'permit')).length;
    expect(permits).toBeGreaterThan(20);
  });
});

describe('capacity is judged per field by a professional of the field (issue 12 item 4)', () => {
  const grantorOf = (input: DecisionInput, ref: { consentId: string; version: number }) =>
    input.snapshot.consents.find((c) => c.consentId === ref.consentId && c.version === ref.version)?.grantedBy;
  const relied = (input: DecisionInput) =>
    decide(input).categories.flatMap((c) => (c.outcome === 'permit' ? (c.consents ?? []).map((ref) => grantorOf(input, ref)?.kind) : []));
  /** A minor student with a given assessment for the requester's field, and the school's flag either way. */
  const assessedArb = (decidesForSelf: boolean) =>
    fc.tuple(consentScenarioArb, fc.boolean()).map(([generated, schoolFlag]): DecisionInput => {
      const field = generated.requester.role === 'curator' ? 'social_welfare' : 'health_care';
      const student = generated.snapshot.student!;
      return {
        ...generated,
        snapshot: {
          ...generated.snapshot,
          student: { ...student, birthDate: '2012-05-06', decidesForSelf: schoolFlag, capacity: { ...student.capacity, [field]: assessment(decidesForSelf, generated.requester.role) } },
        },
      };
    });

  it("lets no guardian consent count once a professional of the requester's field judged the student able to decide", () => {
    fc.assert(fc.property(assessedArb(true), (input) => expect(relied(input)).not.toContain('guardian')), { numRuns: 1000 });
  });

  it('still permits on the own consent of a student judged able (the properties are not met by denying everything)', () => {
    const permits = fc.sample(assessedArb(true), { numRuns: 2000, seed: 4 }).filter((input) => relied(input).includes('student')).length;
    expect(permits).toBeGreaterThan(20);
  });

  it("lets no student's own consent count while the requester's field judged them unable, whatever the school's flag says", () => {
    fc.assert(fc.property(assessedArb(false), (input) => expect(relied(input)).not.toContain('student')), { numRuns: 1000 });
  });
});

describe('the student-welfare act covers the student (1287/2013 1 §, issue 12 item 7)', () => {
  it('permits nothing on necessity about an adult upper-secondary student outside compulsory education', () => {
    fc.assert(
      fc.property(scenarioArb, fc.boolean(), (generated, compulsoryButAdult) => {
        fc.pre(generated.snapshot.student !== undefined);
        const input: DecisionInput = {
          ...generated,
          request: { ...generated.request, basis: 'necessity' },
          snapshot: {
            ...generated.snapshot,
            student: {
              ...generated.snapshot.student!,
              educationForm: 'adult_upper_secondary',
              // Compulsory education ends at 18 at the latest (1214/2020 2 §), whatever roster's flag says.
              ...(compulsoryButAdult ? { inCompulsoryEducation: true, birthDate: '1999-11-30' } : { inCompulsoryEducation: false }),
            },
          },
        };
        expect(decide(input).categories.filter((c) => c.outcome === 'permit')).toEqual([]);
      }),
    );
  });
});

describe('the generated situations', () => {
  it('reach permits on every basis often enough for the properties to mean something', () => {
    const samples = fc.sample(scenarioArb, { numRuns: 4000, seed: 42 });
    const permitsByBasis = new Map<string, number>();
    for (const input of samples) {
      if (decide(input).categories.some((c) => c.outcome === 'permit')) permitsByBasis.set(input.request.basis, (permitsByBasis.get(input.request.basis) ?? 0) + 1);
    }
    // At least 2% of each basis's samples permit something (about 1000 samples per basis).
    expect(BASES.filter((basis) => (permitsByBasis.get(basis) ?? 0) <= 20)).toEqual([]);
    // Property (b) starts from situations where consents permit in at least one case in ten.
    const consentPermits = fc
      .sample(consentScenarioArb, { numRuns: 2000, seed: 7 })
      .filter((input) => decide(input).categories.some((c) => c.outcome === 'permit')).length;
    expect(consentPermits).toBeGreaterThan(2000 / 10);
  });
});
