import { decide, type Assignment, type Consent, type DecisionInput, type DisclosureRequest } from './decision';

const NOW = '2026-03-10T09:00:00.000Z';
const curator = { professionalId: 'p-1', role: 'curator' as const, welfareAreaId: 'w' };
const assignment: Assignment = {
  assignmentId: 'a-1',
  professionalId: 'p-1',
  role: 'curator',
  welfareAreaId: 'w',
  schoolId: 'school-1',
  validFrom: '2026-01-01',
  ended: false,
};
const guardianConsent: Consent = {
  consentId: 'c-1',
  version: 1,
  grantedBy: { kind: 'guardian', id: 'g-1' },
  categories: ['absences', 'grades'],
  welfareAreaId: 'w',
  status: 'active',
  validFrom: '2026-01-01T00:00:00.000Z',
};

function input(request: Partial<DisclosureRequest>, snapshot: Partial<DecisionInput['snapshot']> = {}, extra: Partial<DecisionInput> = {}): DecisionInput {
  return {
    request: { requestId: 'r', studentId: 's-1', categories: ['identification'], basis: 'identification', purpose: 'support', ...request },
    requester: curator,
    snapshot: {
      student: { schoolId: 'school-1', decidesForSelf: false, welfareAccessActive: false },
      assignments: [assignment],
      consents: [],
      linkedGuardianIds: ['g-1'],
      ...snapshot,
    },
    policy: { version: 'test-1', requireWelfareAccessActivation: false },
    now: NOW,
    ...extra,
  };
}

const outcomes = (i: DecisionInput) => decide(i).categories.map((c) => `${c.category}:${c.outcome}:${c.reason}`);

describe('disclosure decisions (first cut: bases identification and consent)', () => {
  it.each([
    ['identification basis permits identification and guardian contacts', input({ categories: ['identification', 'guardian_contacts'] }), 'permit', ['identification:permit:identification_data', 'guardian_contacts:permit:identification_data']],
    ['identification basis does not cover absences', input({ categories: ['absences'] }), 'deny', ['absences:deny:category_not_covered']],
    ['consent basis without any consent denies', input({ basis: 'consent', categories: ['absences'] }), 'deny', ['absences:deny:no_consent']],
    ['consent covering absences and grades, not support needs: partial', input({ basis: 'consent', categories: ['absences', 'grades', 'support_needs'] }, { consents: [guardianConsent] }), 'partial', ['absences:permit:consent_given', 'grades:permit:consent_given', 'support_needs:deny:no_consent']],
    ['a withdrawn consent permits nothing', input({ basis: 'consent', categories: ['absences'] }, { consents: [{ ...guardianConsent, status: 'withdrawn' }] }), 'deny', ['absences:deny:no_consent']],
    ['a paused consent permits nothing', input({ basis: 'consent', categories: ['absences'] }, { consents: [{ ...guardianConsent, status: 'paused' }] }), 'deny', ['absences:deny:no_consent']],
    ['an expired consent permits nothing', input({ basis: 'consent', categories: ['absences'] }, { consents: [{ ...guardianConsent, validUntil: '2026-03-10T08:59:59.000Z' }] }), 'deny', ['absences:deny:no_consent']],
    ['a consent not yet in force permits nothing', input({ basis: 'consent', categories: ['absences'] }, { consents: [{ ...guardianConsent, validFrom: '2026-03-11T00:00:00.000Z' }] }), 'deny', ['absences:deny:no_consent']],
    ['a consent for another welfare area permits nothing', input({ basis: 'consent', categories: ['absences'] }, { consents: [{ ...guardianConsent, welfareAreaId: 'other' }] }), 'deny', ['absences:deny:no_consent']],
    ['a consent for nurses only does not cover a curator', input({ basis: 'consent', categories: ['absences'] }, { consents: [{ ...guardianConsent, roles: ['nurse'] }] }), 'deny', ['absences:deny:no_consent']],
    ['a consent by a guardian no longer linked permits nothing', input({ basis: 'consent', categories: ['absences'] }, { consents: [guardianConsent], linkedGuardianIds: [] }), 'deny', ['absences:deny:no_consent']],
    ['a student who decides for themselves overrides guardian consent', input({ basis: 'consent', categories: ['absences'] }, { consents: [guardianConsent], student: { schoolId: 'school-1', decidesForSelf: true, welfareAccessActive: false } }), 'deny', ['absences:deny:no_consent']],
    ['a student with capacity consents alone', input({ basis: 'consent', categories: ['absences'] }, { consents: [{ ...guardianConsent, grantedBy: { kind: 'student', id: 's-1' } }], student: { schoolId: 'school-1', decidesForSelf: true, welfareAccessActive: false } }), 'permit', ['absences:permit:consent_given']],
    ['a student without capacity cannot consent', input({ basis: 'consent', categories: ['absences'] }, { consents: [{ ...guardianConsent, grantedBy: { kind: 'student', id: 's-1' } }] }), 'deny', ['absences:deny:no_consent']],
    ['an unknown student is not enrolled', input({}, { student: undefined }), 'deny', ['identification:deny:not_enrolled']],
    ['no assignment to the student\'s school', input({}, { assignments: [{ ...assignment, schoolId: 'school-2' }] }), 'deny', ['identification:deny:not_assigned']],
    ['an ended assignment does not count', input({}, { assignments: [{ ...assignment, ended: true }] }), 'deny', ['identification:deny:not_assigned']],
    ['an assignment not yet valid does not count', input({}, { assignments: [{ ...assignment, validFrom: '2026-03-11' }] }), 'deny', ['identification:deny:not_assigned']],
    ['an assignment valid through yesterday does not count', input({}, { assignments: [{ ...assignment, validUntil: '2026-03-09' }] }), 'deny', ['identification:deny:not_assigned']],
    ['an assignment valid through today counts', input({}, { assignments: [{ ...assignment, validUntil: '2026-03-10' }] }), 'permit', ['identification:permit:identification_data']],
    ['an assignment in another role does not count', input({}, { assignments: [{ ...assignment, role: 'nurse' }] }), 'deny', ['identification:deny:not_assigned']],
    ['an assignment of another welfare area does not count', input({}, { assignments: [{ ...assignment, welfareAreaId: 'other' }] }), 'deny', ['identification:deny:not_assigned']],
    ['necessity is not supported yet', input({ basis: 'necessity', categories: ['absences'] }), 'deny', ['absences:deny:basis_not_supported']],
    ['emergency is not supported yet', input({ basis: 'emergency', categories: ['absences'] }), 'deny', ['absences:deny:basis_not_supported']],
    ['welfare access required by policy but not activated', input({}, {}, { policy: { version: 'p', requireWelfareAccessActivation: true } }), 'deny', ['identification:deny:welfare_access_inactive']],
    ['welfare access required by policy and activated', input({}, { student: { schoolId: 'school-1', decidesForSelf: false, welfareAccessActive: true } }, { policy: { version: 'p', requireWelfareAccessActivation: true } }), 'permit', ['identification:permit:identification_data']],
  ])('%s', (_name, given, outcome, categories) => {
    expect(decide(given).outcome).toBe(outcome);
    expect(outcomes(given)).toEqual(categories);
  });

  it('names the consent and version it relied on', () => {
    const decision = decide(input({ basis: 'consent', categories: ['grades'] }, { consents: [{ ...guardianConsent, version: 3 }] }));
    expect(decision.categories[0]).toMatchObject({ consent: { consentId: 'c-1', version: 3 } });
    expect(decision.assignmentId).toBe('a-1');
  });
});
