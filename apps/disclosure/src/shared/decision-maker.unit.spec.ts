import type { StudentStanding } from '@silta/contracts';
import type { Principal } from '@silta/platform';
import { loadPolicyFile, type DecisionSnapshot } from '@silta/decision';
import { DEFAULT_POLICY_PATH } from './policy.provider';
import type { ViewReader } from '../view/view-reader';
import { DecisionMaker } from './decision-maker';
import type { RequestDisclosureBody } from './disclosure-request';
import type { RosterClient } from './roster-client';

/**
 * Which decisions read the student's standing from roster, and what they record of it: on bases
 * consent and necessity the birth date and education form go into the snapshot (so replay decides
 * the same); identification and emergency decide without them, and do not ask roster.
 */
describe("the decision maker's reading of the student's standing", () => {
  const now = '2026-03-01T08:00:00.000Z';
  const curator: Principal = { issuer: 'local', sub: 'curator-1', role: 'curator', org: 'welfare-area:w' };
  const viewed = (decidesForSelf: boolean): DecisionSnapshot => ({
    student: { schoolId: 'school-1', decidesForSelf, welfareAccessActive: false, servedBy: 'w', municipalityId: 'demo' },
    assignments: [{ assignmentId: 'a-1', professionalId: 'curator-1', role: 'curator', welfareAreaId: 'w', schoolId: 'school-1', validFrom: '2020-01-01', ended: false }],
    consents: [],
    linkedGuardianIds: [],
  });
  const adultEducation: StudentStanding = { birthDate: '2009-09-09', educationForm: 'adult_upper_secondary', inCompulsoryEducation: false };
  const body = (basis: RequestDisclosureBody['basis'], categories: RequestDisclosureBody['categories']): RequestDisclosureBody => ({
    requestId: 'r-1',
    studentId: 'st-1',
    categories,
    basis,
    purpose: 'student welfare assessment',
    caseId: 'case-1',
    justification: 'Repeated absences reported by the class teacher; assessing the need for support.',
  });

  function maker(snapshot: DecisionSnapshot) {
    const asked: string[] = [];
    const view = { snapshot: async () => snapshot } as unknown as ViewReader;
    const roster = {
      standing: async (studentId: string) => {
        asked.push(studentId);
        return adultEducation;
      },
    } as unknown as RosterClient;
    return { decisions: new DecisionMaker(view, { policy: loadPolicyFile(DEFAULT_POLICY_PATH), since: new Date() }, roster), asked };
  }

  it.each([
    ['consent', 'absences'],
    ['necessity', 'absences'],
  ] as const)("on basis %s records the student's birth date and education in the snapshot", async (basis, category) => {
    const { decisions, asked } = maker(viewed(false));

    const made = await decisions.decide(body(basis, [category]), curator, now);

    expect(asked).toEqual(['st-1']);
    expect(made.input.snapshot.student).toMatchObject(adultEducation);
  });

  it('reads the standing for a student who decides for themselves too: capacity is per field, age holds for all', async () => {
    const { decisions, asked } = maker(viewed(true));

    const made = await decisions.decide(body('consent', ['absences']), curator, now);

    expect(asked).toEqual(['st-1']);
    expect(made.input.snapshot.student).toMatchObject({ decidesForSelf: true, ...adultEducation });
  });

  it('denies a necessity request for an adult upper-secondary student outside compulsory education, as roster tells it', async () => {
    const { decisions } = maker(viewed(false));

    const made = await decisions.decide(body('necessity', ['absences']), curator, now);

    expect(made.decision.categories.map((c) => `${c.category}:${c.outcome}:${c.reason}`)).toEqual(['absences:deny:outside_student_welfare_act']);
  });

  it.each([
    ['not_assigned', { ...viewed(false), assignments: [] }],
    ['school_not_served', { ...viewed(false), student: { ...viewed(false).student!, servedBy: 'another-area' } }],
    ['view_incomplete', { ...viewed(false), viewIncomplete: true }],
  ] as const)('denies %s from the view alone, without asking roster', async (reason, snapshot) => {
    const { decisions, asked } = maker(snapshot as DecisionSnapshot);

    const made = await decisions.decide(body('consent', ['absences']), curator, now);

    expect(asked).toEqual([]);
    expect(made.decision.categories.map((c) => `${c.outcome}:${c.reason}`)).toEqual([`deny:${reason}`]);
  });

  it.each([
    ['identification', 'identification'],
    ['emergency', 'identification'],
  ] as const)('on basis %s decides without asking roster', async (basis, category) => {
    const { decisions, asked } = maker(viewed(false));

    const made = await decisions.decide(body(basis, [category]), curator, now);

    expect(asked).toEqual([]);
    expect(made.input.snapshot.student).not.toHaveProperty('educationForm');
  });
});
