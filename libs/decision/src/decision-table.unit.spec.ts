import { decide, summarise, type Assignment, type CapacityField, type Basis, type Category, type CategoryOutcome, type Consent, type DecisionInput, type DecisionSnapshot, type DisclosureRequest, type Policy, type Profession } from './decision';

/*
 * The disclosure rules as a table a municipality's lawyer can read (DESIGN.md §3, issue 4).
 *
 * Every row is one case: what happens, the situation (`given`), who asks for what on which basis
 * (`ask`), and the expected answer per category: `permit` or `deny` and the reason code recorded in
 * the audit trail. `all:` means every category asked for.
 *
 * Unless a row says otherwise, the situation is: it is Tuesday 10 March 2026, 09:00 UTC; the student
 * s-1 attends school-1 (basic education) since 11 August 2025; no professional has judged whether
 * they can decide for themselves (so their guardians do), and the school's own flag says they do
 * not; two guardians, g-1
 * and g-2, are linked to the student; each professional (curator-1, psychologist-1, nurse-1,
 * doctor-1) of welfare area itu-uusimaa holds an open-ended assignment to school-1; the school has
 * not activated welfare access; nobody has consented. The policy is the shipped default
 * (default.policy.yaml, 2026.2, issue 12): necessity is the curator's route, covering absences,
 * lesson markings, detentions and learning progress; psychologists, nurses and doctors have empty
 * sets (consent only). Only a curator may mark a necessity request urgent. The emergency set is
 * identification and guardian contacts for 240 minutes, nothing widened beyond the sources. One
 * guardian's consent suffices. Justifications need at least 30 characters. A necessity or emergency request carries case id "case-7" and an adequate
 * justification unless the row says otherwise.
 */

// ---------------------------------------------------------------------------------------------
// The situation and its variations
// ---------------------------------------------------------------------------------------------

const NOW = '2026-03-10T09:00:00.000Z';
const AREA = 'itu-uusimaa';
const ENROLLED = '2025-08-11T06:00:00.000Z';
const JANUARY = '2026-01-15T10:00:00.000Z';
const JUSTIFICATION = 'Repeated absences; planning support with the family this week.';

const DEFAULT_POLICY: Policy = {
  id: 'municipality:demo/disclosure-policy',
  version: 'table',
  hash: 'table',
  municipality: 'demo',
  necessity: {
    curator: ['absences', 'lesson_markings', 'detentions', 'learning_progress'],
    psychologist: [],
    nurse: [],
    doctor: [],
  },
  urgentNecessityFor: ['curator'],
  emergency: { categories: ['identification', 'guardian_contacts'], windowMinutes: 240 },
  requireWelfareAccessActivation: false,
  consentFrom: 'any_guardian',
  minJustificationLength: 30,
  absenceReasons: 'never',
};

/** A municipality that widened the emergency set beyond the sources, explicitly, stating why. */
const WIDENING = { categories: ['absences', 'support_needs'], why: 'The board decided on 2026-02-01 that absences help locate a missing pupil.' } as const;
const emergencyWidened: Given = (w) => ({
  ...w,
  policy: { ...w.policy, emergency: { ...w.policy.emergency, categories: [...w.policy.emergency.categories, ...WIDENING.categories], widenedBeyondSources: WIDENING } },
});
/** A municipality that decided, stating why, that its nurses, doctors and psychologists get some data on necessity. */
const healthCareNecessity: Given = (w) => ({
  ...w,
  policy: { ...w.policy, necessity: { ...w.policy.necessity, psychologist: ['learning_progress', 'support_needs'], nurse: ['absences'], doctor: ['absences', 'support_needs'] } },
});

interface World {
  readonly snapshot: DecisionSnapshot;
  readonly policy: Policy;
}
type Given = (world: World) => World;

const initialWorld = (): World => ({
  snapshot: {
    student: {
      schoolId: 'school-1',
      decidesForSelf: false,
      capacity: {},
      educationForm: 'basic_education',
      welfareAccessActive: false,
      enrolledAt: ENROLLED,
      servedBy: AREA,
      municipalityId: 'demo',
    },
    assignments: (['curator', 'psychologist', 'nurse', 'doctor'] as const).map(
      (role): Assignment => ({ assignmentId: `a-${role}`, professionalId: `${role}-1`, role, welfareAreaId: AREA, schoolId: 'school-1', validFrom: '2025-08-01', ended: false }),
    ),
    consents: [],
    linkedGuardianIds: ['g-1', 'g-2'],
    guardianLinkedAt: { 'g-1': ENROLLED, 'g-2': ENROLLED },
  },
  policy: DEFAULT_POLICY,
});

const snapshot = (change: (s: DecisionSnapshot) => Partial<DecisionSnapshot>): Given => (w) => ({ ...w, snapshot: { ...w.snapshot, ...change(w.snapshot) } });

/** The student is unknown, or has left every school. */
const studentNotEnrolled: Given = snapshot(() => ({ student: undefined }));
const student = (change: Partial<NonNullable<DecisionSnapshot['student']>>): Given => snapshot((s) => ({ student: { ...s.student!, ...change } }));
/** The school's own flag says the student decides for themselves; since issue 12 item 4 it decides nothing. */
const schoolFlagSaysDecidesForSelf = student({ decidesForSelf: true });
/** A decision recorded before capacity was judged per field: the school's flag said who decides. */
const recordedBeforeAssessments = student({ capacity: undefined });
/** A professional of the field judged whether the student can decide the matter themselves (issue 12 item 4). */
const assessed = (field: CapacityField, decidesForSelf: boolean): Given =>
  snapshot((s) => ({
    student: {
      ...s.student!,
      capacity: { ...s.student!.capacity, [field]: { decidesForSelf, assessedOn: '2026-02-02', assessedBy: { professionalId: field === 'social_welfare' ? 'curator-2' : 'nurse-2', role: field === 'social_welfare' ? 'curator' : 'nurse' } } },
    },
  }));
const studentDecidesForSelf = assessed('social_welfare', true);
/** The student's form of education (roster), and whether they are in compulsory education (1214/2020). */
const educatedIn = (educationForm: NonNullable<DecisionSnapshot['student']>['educationForm'], inCompulsoryEducation?: boolean) =>
  student({ educationForm, ...(inCompulsoryEducation !== undefined ? { inCompulsoryEducation } : {}) });
/** The student's birth date (roster's identification data): from the 18th birthday guardianship has ended (361/1983 3 §). */
const bornOn = (birthDate: string) => student({ birthDate });
const welfareAccessActivated = student({ welfareAccessActive: true });
/** The student moved into school-1 (where the professionals are assigned) on the given date. */
const transferredIn = (at: string) => student({ enrolledAt: at });

/** Changes every professional's assignment. */
const assignments = (change: Partial<Assignment>): Given => snapshot((s) => ({ assignments: s.assignments.map((a) => ({ ...a, ...change })) }));
const policy = (change: Partial<Policy>): Given => (w) => ({ ...w, policy: { ...w.policy, ...change } });
const activationRequired = policy({ requireWelfareAccessActivation: true });
const allGuardiansMustConsent = policy({ consentFrom: 'all_guardians' });

/** A consent by guardian g-1/g-2 or by the student, to welfare area itu-uusimaa, granted and valid from 15 January 2026. */
const consent = (by: 'g-1' | 'g-2' | 'student', categories: readonly Category[], details: Partial<Consent> = {}): Given =>
  snapshot((s) => ({
    consents: [
      ...s.consents,
      {
        consentId: `consent-${by}`,
        version: 1,
        grantedBy: by === 'student' ? { kind: 'student', id: 's-1' } : { kind: 'guardian', id: by },
        categories,
        welfareAreaId: AREA,
        status: 'active',
        validFrom: JANUARY,
        grantedAt: JANUARY,
        ...details,
      },
    ],
  }));
const guardianUnlinked = (guardianId: string): Given => snapshot((s) => ({ linkedGuardianIds: s.linkedGuardianIds.filter((g) => g !== guardianId) }));
const guardianLinkedAgain = (guardianId: string, at: string): Given => snapshot((s) => ({ guardianLinkedAt: { ...s.guardianLinkedAt, [guardianId]: at } }));
const emergencyWindowOpened = (minutesAgo: number): Given =>
  snapshot(() => ({ emergencyWindowStartedAt: new Date(Date.parse(NOW) - minutesAgo * 60_000).toISOString() }));

// ---------------------------------------------------------------------------------------------
// Who asks for what
// ---------------------------------------------------------------------------------------------

interface Ask {
  readonly role: Profession;
  readonly request: DisclosureRequest;
}

const EVERYTHING: readonly Category[] = ['identification', 'guardian_contacts', 'absences', 'lesson_markings', 'grades', 'detentions', 'learning_progress', 'support_needs'];

function asker(role: Profession) {
  const ask =
    (basis: Basis) =>
    (categories: Category | 'everything' | readonly Category[], details: Partial<DisclosureRequest> = {}): Ask => ({
      role,
      request: {
        requestId: 'r-1',
        studentId: 's-1',
        categories: categories === 'everything' ? EVERYTHING : typeof categories === 'string' ? [categories] : categories,
        basis,
        purpose: 'student welfare assessment',
        ...(basis === 'necessity' ? { caseId: 'case-7' } : {}),
        ...(basis === 'necessity' || basis === 'emergency' ? { justification: JUSTIFICATION } : {}),
        ...details,
      },
    });
  return { identification: ask('identification'), necessity: ask('necessity'), consent: ask('consent'), emergency: ask('emergency') };
}
const curator = asker('curator');
const psychologist = asker('psychologist');
const nurse = asker('nurse');
const doctor = asker('doctor');

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

interface Case {
  readonly case: string;
  readonly given?: readonly Given[];
  readonly ask: Ask;
  readonly expect: string;
  /** The decision time, when not NOW (Tuesday 10 March 2026, 09:00 UTC = 11:00 in Helsinki). */
  readonly now?: string;
}

const CASES: readonly Case[] = [
  // Preconditions: they apply to every basis, and a failed one denies everything asked for.
  { case: 'identification: the student is not enrolled anywhere', given: [studentNotEnrolled], ask: curator.identification('everything'), expect: 'all: deny not_enrolled' },
  { case: 'necessity: the student is not enrolled anywhere', given: [studentNotEnrolled], ask: curator.necessity('everything'), expect: 'all: deny not_enrolled' },
  { case: 'consent: the student is not enrolled anywhere, even with consent', given: [studentNotEnrolled, consent('g-1', EVERYTHING)], ask: curator.consent('everything'), expect: 'all: deny not_enrolled' },
  { case: 'emergency: the student is not enrolled anywhere', given: [studentNotEnrolled], ask: curator.emergency('everything'), expect: 'all: deny not_enrolled' },
  { case: "identification: the municipality declared no welfare area for the student's school", given: [student({ servedBy: null })], ask: curator.identification('everything'), expect: 'all: deny school_not_served' },
  { case: "consent: the student's school is served by another welfare area, even with consent and an assignment", given: [student({ servedBy: 'other-area' }), consent('g-1', EVERYTHING)], ask: curator.consent('everything'), expect: 'all: deny school_not_served' },
  { case: "emergency: a student of another municipality than the policy's", given: [student({ municipalityId: 'elsewhere' })], ask: curator.emergency('everything'), expect: 'all: deny other_municipality' },
  { case: 'identification: the curator serves another school only', given: [assignments({ schoolId: 'school-2' })], ask: curator.identification('everything'), expect: 'all: deny not_assigned' },
  { case: 'necessity: the curator serves another school only', given: [assignments({ schoolId: 'school-2' })], ask: curator.necessity('everything'), expect: 'all: deny not_assigned' },
  { case: 'consent: the curator serves another school only, even with consent', given: [assignments({ schoolId: 'school-2' }), consent('g-1', EVERYTHING)], ask: curator.consent('everything'), expect: 'all: deny not_assigned' },
  { case: 'emergency: the curator serves another school only', given: [assignments({ schoolId: 'school-2' })], ask: curator.emergency('everything'), expect: 'all: deny not_assigned' },
  { case: 'identification: activation required, not activated', given: [activationRequired], ask: curator.identification('everything'), expect: 'all: deny welfare_access_inactive' },
  { case: 'necessity: activation required, not activated', given: [activationRequired], ask: curator.necessity('everything'), expect: 'all: deny welfare_access_inactive' },
  { case: 'consent: activation required, not activated, even with consent', given: [activationRequired, consent('g-1', EVERYTHING)], ask: curator.consent('everything'), expect: 'all: deny welfare_access_inactive' },
  { case: 'emergency: activation required, not activated', given: [activationRequired], ask: curator.emergency('everything'), expect: 'all: deny welfare_access_inactive' },
  { case: 'activation required and activated: the request is decided on its basis', given: [activationRequired, welfareAccessActivated], ask: curator.identification('identification'), expect: 'identification: permit identification_data' },
  { case: 'the assignment has ended', given: [assignments({ ended: true })], ask: curator.identification('identification'), expect: 'identification: deny not_assigned' },
  { case: 'the assignment was valid until yesterday', given: [assignments({ validUntil: '2026-03-09' })], ask: curator.identification('identification'), expect: 'identification: deny not_assigned' },
  { case: 'the assignment is valid until today: today still counts', given: [assignments({ validUntil: '2026-03-10' })], ask: curator.identification('identification'), expect: 'identification: permit identification_data' },
  { case: 'the assignment starts tomorrow', given: [assignments({ validFrom: '2026-03-11' })], ask: curator.identification('identification'), expect: 'identification: deny not_assigned' },
  { case: 'the assignment is for another welfare area', given: [assignments({ welfareAreaId: 'vantaa-kerava' })], ask: curator.identification('identification'), expect: 'identification: deny not_assigned' },
  { case: "a nurse cannot use the curator's assignment", given: [assignments({ role: 'curator' })], ask: nurse.identification('identification'), expect: 'identification: deny not_assigned' },

  // Basis identification: identification data and guardians' contacts, nothing else, no consent needed.
  { case: 'identification data', ask: curator.identification('identification'), expect: 'identification: permit identification_data' },
  { case: "guardians' contact details", ask: curator.identification('guardian_contacts'), expect: 'guardian_contacts: permit identification_data' },
  { case: 'absences are not identification data', ask: curator.identification('absences'), expect: 'absences: deny category_not_covered' },
  { case: 'lesson markings are not identification data', ask: curator.identification('lesson_markings'), expect: 'lesson_markings: deny category_not_covered' },
  { case: 'grades are not identification data', ask: curator.identification('grades'), expect: 'grades: deny category_not_covered' },
  { case: 'detentions are not identification data', ask: curator.identification('detentions'), expect: 'detentions: deny category_not_covered' },
  { case: 'learning progress is not identification data', ask: curator.identification('learning_progress'), expect: 'learning_progress: deny category_not_covered' },
  { case: 'support needs are not identification data', ask: curator.identification('support_needs'), expect: 'support_needs: deny category_not_covered' },
  { case: 'a nurse gets identification data too', ask: nurse.identification(['identification', 'guardian_contacts']), expect: 'identification: permit identification_data; guardian_contacts: permit identification_data' },

  // Basis necessity: a case id, a justification, and only the profession's set.
  { case: 'curator, necessity: identification data is not in the set (use basis identification)', ask: curator.necessity('identification'), expect: 'identification: deny not_in_profession_set' },
  { case: "curator, necessity: guardians' contacts are not in the set", ask: curator.necessity('guardian_contacts'), expect: 'guardian_contacts: deny not_in_profession_set' },
  { case: 'curator, necessity: absences', ask: curator.necessity('absences'), expect: 'absences: permit necessary_for_case' },
  { case: 'curator, necessity: lesson markings', ask: curator.necessity('lesson_markings'), expect: 'lesson_markings: permit necessary_for_case' },
  { case: 'curator, necessity: grades are not in the set', ask: curator.necessity('grades'), expect: 'grades: deny not_in_profession_set' },
  { case: 'curator, necessity: detentions', ask: curator.necessity('detentions'), expect: 'detentions: permit necessary_for_case' },
  { case: 'curator, necessity: learning progress', ask: curator.necessity('learning_progress'), expect: 'learning_progress: permit necessary_for_case' },
  { case: 'curator, necessity: support needs are not in the set', ask: curator.necessity('support_needs'), expect: 'support_needs: deny not_in_profession_set' },
  // Issue 12: necessity is the curator's route; a health-care professional gets nothing on it by default.
  { case: 'psychologist, necessity: nothing by default (health care: consent)', ask: psychologist.necessity(['learning_progress', 'support_needs', 'absences']), expect: 'all: deny not_in_profession_set' },
  { case: 'nurse, necessity: nothing by default (OPH: identification and guardian data only)', ask: nurse.necessity(['absences', 'support_needs']), expect: 'all: deny not_in_profession_set' },
  { case: 'doctor, necessity: nothing by default (OPH: identification and guardian data only)', ask: doctor.necessity(['absences', 'support_needs', 'grades']), expect: 'all: deny not_in_profession_set' },
  { case: 'nurse, necessity: identification data stays on basis identification', ask: nurse.necessity('identification'), expect: 'identification: deny not_in_profession_set' },
  { case: 'nurse: absences on consent', given: [consent('g-1', ['absences'])], ask: nurse.consent('absences'), expect: 'absences: permit consent_given' },
  { case: 'psychologist, necessity, under a policy that gives psychologists a set', given: [healthCareNecessity], ask: psychologist.necessity(['learning_progress', 'support_needs', 'absences']), expect: 'learning_progress: permit necessary_for_case; support_needs: permit necessary_for_case; absences: deny not_in_profession_set' },
  { case: 'nurse, necessity, under a policy that gives nurses absences', given: [healthCareNecessity], ask: nurse.necessity(['absences', 'support_needs']), expect: 'absences: permit necessary_for_case; support_needs: deny not_in_profession_set' },
  { case: 'doctor, necessity, under a policy that gives doctors absences and support needs', given: [healthCareNecessity], ask: doctor.necessity(['absences', 'support_needs', 'grades']), expect: 'absences: permit necessary_for_case; support_needs: permit necessary_for_case; grades: deny not_in_profession_set' },
  { case: "curator, urgent necessity: the curator's set, like any necessity request", ask: curator.necessity(['absences', 'grades'], { urgent: true }), expect: 'absences: permit necessary_for_case; grades: deny not_in_profession_set' },
  { case: 'curator, urgent necessity still needs a case id', ask: curator.necessity('absences', { urgent: true, caseId: undefined }), expect: 'absences: deny case_id_required' },
  { case: 'necessity without a case id', ask: curator.necessity('absences', { caseId: undefined }), expect: 'absences: deny case_id_required' },
  { case: 'necessity with a blank case id', ask: curator.necessity('absences', { caseId: '   ' }), expect: 'absences: deny case_id_required' },
  { case: 'necessity without a justification', ask: curator.necessity(['absences', 'detentions'], { justification: undefined }), expect: 'absences: deny justification_too_short; detentions: deny justification_too_short' },
  { case: 'necessity with a 29-character justification', ask: curator.necessity('absences', { justification: 'a'.repeat(29) }), expect: 'absences: deny justification_too_short' },
  { case: 'necessity with a 30-character justification', ask: curator.necessity('absences', { justification: 'a'.repeat(30) }), expect: 'absences: permit necessary_for_case' },
  { case: 'necessity: spaces do not lengthen a justification', ask: curator.necessity('absences', { justification: `   ${'a'.repeat(28)}     ` }), expect: 'absences: deny justification_too_short' },
  { case: 'necessity: without a case id, the case id is the reason given', ask: curator.necessity('absences', { caseId: undefined, justification: 'short' }), expect: 'absences: deny case_id_required' },
  // The student-welfare act's scope (1287/2013 1 §, issue 12 item 7): adult upper-secondary students
  // only while in compulsory education, which ends at 18 at the latest (1214/2020 2 §).
  { case: 'necessity: an adult upper-secondary student outside compulsory education', given: [educatedIn('adult_upper_secondary', false), bornOn('2007-01-20')], ask: curator.necessity(['absences', 'detentions']), expect: 'all: deny outside_student_welfare_act' },
  { case: 'necessity: an adult upper-secondary student whose compulsory education is not recorded', given: [educatedIn('adult_upper_secondary')], ask: curator.necessity('absences'), expect: 'absences: deny outside_student_welfare_act' },
  { case: 'necessity: an adult upper-secondary student of 17 in compulsory education', given: [educatedIn('adult_upper_secondary', true), bornOn('2008-09-01')], ask: curator.necessity('absences'), expect: 'absences: permit necessary_for_case' },
  { case: 'necessity: compulsory education ended on the 18th birthday (today)', given: [educatedIn('adult_upper_secondary', true), bornOn('2008-03-10')], ask: curator.necessity('absences'), expect: 'absences: deny outside_student_welfare_act' },
  { case: 'necessity: outside the act, the missing case id is not the reason given', given: [educatedIn('adult_upper_secondary', false)], ask: curator.necessity('absences', { caseId: undefined }), expect: 'absences: deny outside_student_welfare_act' },
  { case: 'necessity: a general upper-secondary student of 19 is covered', given: [educatedIn('general_upper_secondary'), bornOn('2007-01-20')], ask: curator.necessity('absences'), expect: 'absences: permit necessary_for_case' },
  { case: 'necessity: a vocational upper-secondary student is covered', given: [educatedIn('vocational_upper_secondary', false)], ask: curator.necessity('absences'), expect: 'absences: permit necessary_for_case' },
  { case: 'necessity: a pre-primary pupil is covered', given: [educatedIn('pre_primary')], ask: curator.necessity('absences'), expect: 'absences: permit necessary_for_case' },
  { case: 'necessity: a student in preparatory education is covered', given: [educatedIn('preparatory', false)], ask: curator.necessity('absences'), expect: 'absences: permit necessary_for_case' },
  { case: 'necessity: no education form recorded (a decision recorded before) is covered, as then', given: [educatedIn(undefined)], ask: curator.necessity('absences'), expect: 'absences: permit necessary_for_case' },
  { case: "consent: the act's scope does not limit consent", given: [educatedIn('adult_upper_secondary', false), bornOn('2007-01-20'), consent('student', ['absences'])], ask: curator.consent('absences'), expect: 'absences: permit consent_given' },
  { case: "identification: the act's scope does not limit identification data", given: [educatedIn('adult_upper_secondary', false)], ask: curator.identification('identification'), expect: 'identification: permit identification_data' },
  { case: 'necessity: a curator set that the municipality emptied', given: [policy({ necessity: { ...DEFAULT_POLICY.necessity, curator: [] } })], ask: curator.necessity('absences'), expect: 'absences: deny not_in_profession_set' },

  // Basis consent, per category: g-1 consented to absences, grades and support needs.
  { case: 'consent to some categories: identification was not consented', given: [consent('g-1', ['absences', 'grades', 'support_needs'])], ask: curator.consent('identification'), expect: 'identification: deny no_consent' },
  { case: "consent to some categories: guardians' contacts were not consented", given: [consent('g-1', ['absences', 'grades', 'support_needs'])], ask: curator.consent('guardian_contacts'), expect: 'guardian_contacts: deny no_consent' },
  { case: 'consent to some categories: absences', given: [consent('g-1', ['absences', 'grades', 'support_needs'])], ask: curator.consent('absences'), expect: 'absences: permit consent_given' },
  { case: 'consent to some categories: lesson markings were not consented', given: [consent('g-1', ['absences', 'grades', 'support_needs'])], ask: curator.consent('lesson_markings'), expect: 'lesson_markings: deny no_consent' },
  { case: 'consent to some categories: grades', given: [consent('g-1', ['absences', 'grades', 'support_needs'])], ask: curator.consent('grades'), expect: 'grades: permit consent_given' },
  { case: 'consent to some categories: detentions were not consented', given: [consent('g-1', ['absences', 'grades', 'support_needs'])], ask: curator.consent('detentions'), expect: 'detentions: deny no_consent' },
  { case: 'consent to some categories: learning progress was not consented', given: [consent('g-1', ['absences', 'grades', 'support_needs'])], ask: curator.consent('learning_progress'), expect: 'learning_progress: deny no_consent' },
  { case: 'consent to some categories: support needs', given: [consent('g-1', ['absences', 'grades', 'support_needs'])], ask: curator.consent('support_needs'), expect: 'support_needs: permit consent_given' },
  { case: 'consent to some categories, asked for more: a partial answer', given: [consent('g-1', ['absences'])], ask: curator.consent(['absences', 'grades']), expect: 'absences: permit consent_given; grades: deny no_consent' },
  { case: 'consent basis with no consent at all', ask: curator.consent('absences'), expect: 'absences: deny no_consent' },

  // Basis consent: what makes a consent count.
  { case: 'a withdrawn consent permits nothing', given: [consent('g-1', ['absences'], { status: 'withdrawn' })], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'a paused consent permits nothing', given: [consent('g-1', ['absences'], { status: 'paused' })], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'a consent that expired yesterday permits nothing (no event needed)', given: [consent('g-1', ['absences'], { validUntil: '2026-03-09T09:00:00.000Z' })], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'a consent expiring this very moment permits nothing', given: [consent('g-1', ['absences'], { validUntil: NOW })], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'a consent valid until tomorrow counts', given: [consent('g-1', ['absences'], { validUntil: '2026-03-11T09:00:00.000Z' })], ask: curator.consent('absences'), expect: 'absences: permit consent_given' },
  { case: 'a consent valid only from tomorrow permits nothing yet', given: [consent('g-1', ['absences'], { validFrom: '2026-03-11T00:00:00.000Z' })], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'a consent to another welfare area permits nothing', given: [consent('g-1', ['absences'], { welfareAreaId: 'vantaa-kerava' })], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'a consent for nurses only does not reach the curator', given: [consent('g-1', ['absences'], { roles: ['nurse'] })], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'a consent for nurses only reaches the nurse', given: [consent('g-1', ['absences'], { roles: ['nurse'] })], ask: nurse.consent('absences'), expect: 'absences: permit consent_given' },
  { case: 'a newer version of a consent supersedes the older', given: [consent('g-1', ['absences', 'grades']), consent('g-1', ['grades'], { version: 2 })], ask: curator.consent(['absences', 'grades']), expect: 'absences: deny no_consent; grades: permit consent_given' },
  { case: 'a withdrawal ends every earlier version of the consent', given: [consent('g-1', ['absences']), consent('g-1', ['absences'], { version: 2, status: 'withdrawn' })], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'a consent by a guardian since unlinked permits nothing', given: [consent('g-1', ['absences']), guardianUnlinked('g-1')], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'the other guardian, still linked, can still consent', given: [consent('g-2', ['absences']), guardianUnlinked('g-1')], ask: curator.consent('absences'), expect: 'absences: permit consent_given' },
  { case: 'an unlinked guardian linked again: the earlier consent stays ended', given: [consent('g-1', ['absences']), guardianLinkedAgain('g-1', '2026-02-01T08:00:00.000Z')], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'a consent given before the transfer to this school permits nothing', given: [consent('g-1', ['absences']), transferredIn('2026-02-01T08:00:00.000Z')], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'a consent given after the transfer counts', given: [transferredIn('2026-02-01T08:00:00.000Z'), consent('g-1', ['absences'], { grantedAt: '2026-02-02T08:00:00.000Z' })], ask: curator.consent('absences'), expect: 'absences: permit consent_given' },
  { case: 'the student decides for themselves: a guardian consent no longer counts', given: [studentDecidesForSelf, consent('g-1', ['absences'])], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'the student decides for themselves and consents', given: [studentDecidesForSelf, consent('student', ['absences'])], ask: curator.consent('absences'), expect: 'absences: permit consent_given' },
  { case: 'the student does not decide for themselves: their own consent does not count', given: [consent('student', ['absences'])], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },

  // Capacity is judged per matter by a professional of the requester's field (issue 12 item 4):
  // social welfare (curator) or health care (nurse, doctor, psychologist). The school's flag decides nothing.
  { case: "the school's flag alone: a guardian consent still counts", given: [schoolFlagSaysDecidesForSelf, consent('g-1', ['absences'])], ask: curator.consent('absences'), expect: 'absences: permit consent_given' },
  { case: "the school's flag alone: the student's own consent does not count", given: [schoolFlagSaysDecidesForSelf, consent('student', ['absences'])], ask: nurse.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'social welfare judged the student able: the curator relies on their own consent', given: [assessed('social_welfare', true), consent('student', ['absences'])], ask: curator.consent('absences'), expect: 'absences: permit consent_given' },
  { case: "social welfare judged the student able: the nurse still needs a guardian's consent", given: [assessed('social_welfare', true), consent('student', ['absences']), consent('g-1', ['absences'])], ask: nurse.consent('absences'), expect: 'absences: permit consent_given' },
  { case: "social welfare judged the student able: the nurse gets nothing on the student's own consent", given: [assessed('social_welfare', true), consent('student', ['absences'])], ask: nurse.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'health care judged the student able: the nurse relies on their own consent', given: [assessed('health_care', true), consent('student', ['absences'])], ask: nurse.consent('absences'), expect: 'absences: permit consent_given' },
  { case: 'health care judged the student able: the doctor relies on their own consent', given: [assessed('health_care', true), consent('student', ['support_needs'])], ask: doctor.consent('support_needs'), expect: 'support_needs: permit consent_given' },
  { case: 'health care judged the student able: the psychologist relies on their own consent', given: [assessed('health_care', true), consent('student', ['learning_progress'])], ask: psychologist.consent('learning_progress'), expect: 'learning_progress: permit consent_given' },
  { case: 'health care judged the student able: a guardian consent no longer counts for the nurse', given: [assessed('health_care', true), consent('g-1', ['absences'])], ask: nurse.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'health care judged the student able: a guardian consent still counts for the curator', given: [assessed('health_care', true), consent('g-1', ['absences'])], ask: curator.consent('absences'), expect: 'absences: permit consent_given' },
  { case: 'health care judged the student unable: a guardian consent counts, the student alone does not', given: [assessed('health_care', false), consent('g-1', ['absences'], { roles: ['doctor'] }), consent('student', ['grades'])], ask: doctor.consent(['absences', 'grades']), expect: 'absences: permit consent_given; grades: deny no_consent' },
  { case: 'a later judgement that the student is unable: guardians decide again', given: [assessed('social_welfare', true), assessed('social_welfare', false), consent('g-1', ['absences'])], ask: curator.consent('absences'), expect: 'absences: permit consent_given' },
  { case: 'an adult decides alone whatever a professional judged', given: [assessed('health_care', false), bornOn('2000-01-01'), consent('student', ['absences'])], ask: nurse.consent('absences'), expect: 'absences: permit consent_given' },
  { case: "a decision recorded before per-field assessments: the school's flag decided (replay)", given: [recordedBeforeAssessments, schoolFlagSaysDecidesForSelf, consent('student', ['absences']), consent('g-1', ['grades'])], ask: nurse.consent(['absences', 'grades']), expect: 'absences: permit consent_given; grades: deny no_consent' },
  { case: 'all guardians must consent, and both have', given: [allGuardiansMustConsent, consent('g-1', ['absences']), consent('g-2', ['absences'])], ask: curator.consent('absences'), expect: 'absences: permit consent_given' },
  { case: 'all guardians must consent, and only one has', given: [allGuardiansMustConsent, consent('g-1', ['absences'])], ask: curator.consent('absences'), expect: 'absences: deny consent_incomplete' },
  { case: 'all guardians must consent, and none has', given: [allGuardiansMustConsent], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'all guardians must consent: each category needs both', given: [allGuardiansMustConsent, consent('g-1', ['absences', 'grades']), consent('g-2', ['absences'])], ask: curator.consent(['absences', 'grades']), expect: 'absences: permit consent_given; grades: deny consent_incomplete' },
  { case: 'all guardians must consent, and only one guardian is linked', given: [allGuardiansMustConsent, guardianUnlinked('g-2'), consent('g-1', ['absences'])], ask: curator.consent('absences'), expect: 'absences: permit consent_given' },
  { case: 'all guardians must consent, but the student decides for themselves', given: [allGuardiansMustConsent, studentDecidesForSelf, consent('student', ['absences'])], ask: curator.consent('absences'), expect: 'absences: permit consent_given' },
  // Guardianship ends at 18 (361/1983 3 §): from the 18th birthday, a calendar day in Finland's
  // time zone, guardians' consents stop counting and the student decides alone. Born on 29 February:
  // 18 on 1 March (the 18th birthday never falls in a leap year).
  { case: 'the 18th birthday is tomorrow: a guardian consent still counts', given: [bornOn('2008-03-11'), consent('g-1', ['absences'])], ask: curator.consent('absences'), expect: 'absences: permit consent_given' },
  { case: "the 18th birthday is tomorrow: the student's own consent does not count yet", given: [bornOn('2008-03-11'), consent('student', ['absences'])], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'the 18th birthday is today: a guardian consent no longer counts', given: [bornOn('2008-03-10'), consent('g-1', ['absences'])], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'the 18th birthday is today: the student consents and decides alone', given: [bornOn('2008-03-10'), consent('student', ['absences'])], ask: curator.consent('absences'), expect: 'absences: permit consent_given' },
  { case: 'the 18th birthday was yesterday: a guardian consent no longer counts', given: [bornOn('2008-03-09'), consent('g-1', ['absences'])], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'the 18th birthday was yesterday: the student consents', given: [bornOn('2008-03-09'), consent('student', ['absences'])], ask: curator.consent('absences'), expect: 'absences: permit consent_given' },
  { case: 'an adult student, all guardians must consent and both have: no guardian consent counts', given: [allGuardiansMustConsent, bornOn('2000-01-01'), consent('g-1', ['absences']), consent('g-2', ['absences'])], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },
  { case: 'the 18th birthday begins at midnight in Helsinki: 00:30 there, 22:30 UTC the day before', given: [bornOn('2008-03-11'), consent('g-1', ['absences'])], ask: curator.consent('absences'), now: '2026-03-10T22:30:00.000Z', expect: 'absences: deny no_consent' },
  { case: 'the eve of the 18th birthday in Helsinki: 23:30 there, a guardian consent still counts', given: [bornOn('2008-03-11'), consent('g-1', ['absences'])], ask: curator.consent('absences'), now: '2026-03-10T21:30:00.000Z', expect: 'absences: permit consent_given' },
  { case: 'born on 29 February: on 28 February of the 18th year still a minor', given: [bornOn('2008-02-29'), consent('g-1', ['absences'])], ask: curator.consent('absences'), now: '2026-02-28T12:00:00.000Z', expect: 'absences: permit consent_given' },
  { case: 'born on 29 February: 18 on 1 March, a guardian consent no longer counts', given: [bornOn('2008-02-29'), consent('g-1', ['absences'])], ask: curator.consent('absences'), now: '2026-03-01T12:00:00.000Z', expect: 'absences: deny no_consent' },
  { case: 'born on 29 February: 18 on 1 March, the student consents', given: [bornOn('2008-02-29'), consent('student', ['absences'])], ask: curator.consent('absences'), now: '2026-03-01T12:00:00.000Z', expect: 'absences: permit consent_given' },
  { case: 'no birth date known (a decision recorded before): a guardian consent counts as before', given: [student({ birthDate: undefined }), consent('g-1', ['absences'])], ask: curator.consent('absences'), expect: 'absences: permit consent_given' },
  { case: 'an adult student: identification data still needs no consent', given: [bornOn('2000-01-01')], ask: curator.identification('identification'), expect: 'identification: permit identification_data' },
  { case: 'no guardian linked and the student does not decide for themselves', given: [guardianUnlinked('g-1'), guardianUnlinked('g-2'), consent('g-1', ['absences'])], ask: curator.consent('absences'), expect: 'absences: deny no_consent' },

  // Basis emergency: the emergency set only, with a justification, for a limited time. No source
  // gives a general emergency basis (issue 12): by default the set is identification data only.
  { case: 'emergency: identification data', ask: curator.emergency('identification'), expect: 'identification: permit emergency' },
  { case: "emergency: guardians' contacts", ask: curator.emergency('guardian_contacts'), expect: 'guardian_contacts: permit emergency' },
  { case: 'emergency: absences are not in the default emergency set', ask: curator.emergency('absences'), expect: 'absences: deny not_in_emergency_set' },
  { case: 'emergency: support needs are not in the default emergency set', ask: curator.emergency('support_needs'), expect: 'support_needs: deny not_in_emergency_set' },
  { case: 'emergency: lesson markings are not in the emergency set', ask: curator.emergency('lesson_markings'), expect: 'lesson_markings: deny not_in_emergency_set' },
  { case: 'emergency: grades are not in the emergency set', ask: curator.emergency('grades'), expect: 'grades: deny not_in_emergency_set' },
  { case: 'emergency: detentions are not in the emergency set', ask: curator.emergency('detentions'), expect: 'detentions: deny not_in_emergency_set' },
  { case: 'emergency: learning progress is not in the emergency set', ask: curator.emergency('learning_progress'), expect: 'learning_progress: deny not_in_emergency_set' },
  { case: 'emergency: absences in a set the policy widened explicitly', given: [emergencyWidened], ask: curator.emergency('absences'), expect: 'absences: permit emergency' },
  { case: 'emergency: support needs in a set the policy widened explicitly', given: [emergencyWidened], ask: curator.emergency('support_needs'), expect: 'support_needs: permit emergency' },
  { case: 'emergency: the set is the same for every profession', given: [emergencyWidened], ask: doctor.emergency(['support_needs', 'grades']), expect: 'support_needs: permit emergency; grades: deny not_in_emergency_set' },
  { case: 'emergency without a justification', ask: curator.emergency('identification', { justification: undefined }), expect: 'identification: deny justification_too_short' },
  { case: 'emergency with too short a justification', ask: curator.emergency('identification', { justification: 'urgent' }), expect: 'identification: deny justification_too_short' },
  { case: 'emergency needs no case id', ask: curator.emergency('identification', { caseId: undefined }), expect: 'identification: permit emergency' },
  { case: 'emergency within the window an earlier request opened', given: [emergencyWindowOpened(60)], ask: curator.emergency('guardian_contacts'), expect: 'guardian_contacts: permit emergency' },
  { case: 'emergency after the earlier window ended: a new window, reviewed again', given: [emergencyWindowOpened(300)], ask: curator.emergency('guardian_contacts'), expect: 'guardian_contacts: permit emergency' },
];

// ---------------------------------------------------------------------------------------------

function inputFor(row: Case): DecisionInput {
  const world = (row.given ?? []).reduce((w, given) => given(w), initialWorld());
  return {
    request: row.ask.request,
    requester: { professionalId: `${row.ask.role}-1`, role: row.ask.role, welfareAreaId: AREA },
    snapshot: world.snapshot,
    policy: world.policy,
    now: row.now ?? NOW,
  };
}

/** 'absences: permit consent_given; grades: deny no_consent', or 'all: deny not_enrolled'. */
function expected(row: Case): CategoryOutcome[] {
  return row.expect.split(';').flatMap((part) => {
    const [, category, outcome, reason] = /^\s*(\w+):\s*(permit|deny)\s+(\w+)\s*$/.exec(part) ?? [];
    if (!category) throw new Error(`unreadable expectation "${part}" in "${row.case}"`);
    const categories = category === 'all' ? row.ask.request.categories : [category as Category];
    return categories.map((c) => ({ category: c, outcome, reason }) as CategoryOutcome);
  });
}

describe('the disclosure rules, case by case', () => {
  it('has at least 60 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.case)).size).toBe(CASES.length);
  });

  it.each(CASES.map((row) => [row.case, row] as const))('%s', (_name, row) => {
    const decision = decide(inputFor(row));
    const want = expected(row);
    expect(decision.categories.map(({ category, outcome, reason }) => ({ category, outcome, reason }))).toEqual(want);
    expect(decision.outcome).toBe(summarise(want));
  });
});
