import { deciderSpecification } from '@silta/testing/decider-spec';
import {
  ConsentError,
  capacityDecider,
  capacityViewingRefusal,
  decidesForSelfIn,
  fieldsAddressed,
  type AssessCapacity,
  type Assessor,
  type CapacityEvent,
  type CapacityField,
  type StudentStanding,
} from '.';
import { assignment, standing } from '../testing/standing';

// Given assessments, when a professional assesses, then events or a refusal (STYLE.md).

const T0 = new Date('2026-03-02T08:00:00.000Z');
const T1 = new Date('2026-03-09T08:00:00.000Z');

const area = 'welfare-area:itu-uusimaa';
const curator: Assessor = { id: 'p-curator', role: 'curator', org: area };
const nurse: Assessor = { id: 'p-nurse', role: 'nurse', org: area };
const doctor: Assessor = { id: 'p-doctor', role: 'doctor', org: area };
const psychologist: Assessor = { id: 'p-psychologist', role: 'psychologist', org: area };


const given = deciderSpecification(capacityDecider, ConsentError);

/** The actor assesses Aino in `field`, assigned in their own role unless told otherwise. */
function assess(actor: Assessor, field: CapacityField, overrides: Partial<AssessCapacity> = {}): AssessCapacity {
  return {
    type: 'AssessCapacity',
    studentId: 's-aino',
    field,
    decidesForSelf: true,
    assessedOn: '2026-03-01',
    actor,
    standing: standing(assignment({ role: actor.role })),
    now: T0,
    ...overrides,
  };
}

const assessedBy = (actor: Assessor, field: CapacityField, decidesForSelf = true, now = T0): CapacityEvent => ({
  type: 'CapacityAssessed',
  studentId: 's-aino',
  field,
  decidesForSelf,
  assessedOn: '2026-03-01',
  assessedBy: actor,
  at: now.toISOString(),
});

describe("assessing a student's capacity", () => {
  it.each([
    ['a curator', curator, 'social_welfare'],
    ['a nurse', nurse, 'health_care'],
    ['a doctor', doctor, 'health_care'],
    ['a psychologist', psychologist, 'health_care'],
  ] as const)('records %s assessing in their own field, with who assessed, the day and when', (_who, actor, field) => {
    given().when(assess(actor, field)).then([assessedBy(actor, field)]);
  });

  it.each([
    ['a curator in health care', curator, 'health_care'],
    ['a nurse in social welfare', nurse, 'social_welfare'],
    ['a doctor in social welfare', doctor, 'social_welfare'],
    ['a psychologist in social welfare', psychologist, 'social_welfare'],
  ] as const)('refuses %s: the field is not theirs', (_what, actor, field) => {
    given().when(assess(actor, field)).thenThrows('field_not_yours');
    expect(() => capacityDecider.decide(assess(actor, field), capacityDecider.initialState)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
  });

  it('records an assessment that repeats the current value: who assessed, and when, is worth keeping', () => {
    given(assessedBy(curator, 'social_welfare'))
      .when(assess(curator, 'social_welfare', { now: T1 }))
      .then([assessedBy(curator, 'social_welfare', true, T1)]);
  });

  it('accepts an assessment dated today and refuses one dated after today', () => {
    given().when(assess(nurse, 'health_care', { assessedOn: '2026-03-02' })).then([{ ...assessedBy(nurse, 'health_care'), assessedOn: '2026-03-02' }]);
    given().when(assess(nurse, 'health_care', { assessedOn: '2026-03-03' })).thenThrows('assessed_in_future');
  });

  describe('only by a professional assigned to the student’s school', () => {
    const ofAnotherArea: Assessor = { ...curator, org: 'welfare-area:keski-uusimaa' };
    const assigned = standing(assignment());
    const refused: Array<[string, Assessor, StudentStanding]> = [
      ['with no assignment anywhere', curator, standing()],
      ['the roster view does not know the student', curator, { schoolId: undefined, schoolServedBy: undefined, callerAssignments: [] }],
      ['of another welfare area, with an assignment there to the same school', ofAnotherArea, standing(assignment({ welfareAreaId: 'keski-uusimaa' }))],
      ['assigned to another school (the student moved)', curator, standing(assignment({ schoolId: 'school-b' }))],
      ['assigned to the school under another role', nurse, standing(assignment({ role: 'doctor' }))],
      ['whose assignment has ended', curator, standing(assignment({ ended: true }))],
      ['whose assignment ran out', curator, standing(assignment({ validUntil: '2026-03-01' }))],
      ['whose assignment has not begun', curator, standing(assignment({ validFrom: '2026-04-01' }))],
      ['at a school another welfare area serves', curator, { ...assigned, schoolServedBy: 'keski-uusimaa' }],
    ];
    it.each(refused)('refuses one %s', (_what, actor, roster) => {
      const field = actor.role === 'curator' ? 'social_welfare' : 'health_care';
      given().when(assess(actor, field, { standing: roster })).thenThrows('not_assigned_to_student');
    });
  });
});

describe("a student's capacity", () => {
  it('is unassessed at first: the student decides nothing alone', () => {
    const { state } = given();
    expect(state).toEqual({ assessments: {} });
    expect(decidesForSelfIn(state, ['social_welfare'])).toBe(false);
  });

  it('is the latest assessment per field, fields apart', () => {
    const { state } = given(assessedBy(curator, 'social_welfare', true, T0), assessedBy(nurse, 'health_care', true, T0), assessedBy(doctor, 'health_care', false, T1));
    expect(state.assessments).toEqual({
      social_welfare: { decidesForSelf: true, assessedOn: '2026-03-01', assessedBy: curator, at: T0.toISOString() },
      health_care: { decidesForSelf: false, assessedOn: '2026-03-01', assessedBy: doctor, at: T1.toISOString() },
    });
    expect(decidesForSelfIn(state, ['social_welfare'])).toBe(true);
    expect(decidesForSelfIn(state, ['social_welfare', 'health_care'])).toBe(false);
  });

  it("addresses the fields of a consent's roles, both when it names none", () => {
    expect(fieldsAddressed(['curator'])).toEqual(['social_welfare']);
    expect(fieldsAddressed(['nurse', 'doctor', 'psychologist'])).toEqual(['health_care']);
    expect(fieldsAddressed(['psychologist', 'curator'])).toEqual(['social_welfare', 'health_care']);
    expect(fieldsAddressed(undefined)).toEqual(['social_welfare', 'health_care']);
  });

  it('may be seen by the student themself and by an assigned professional of either field, not by another student or an unassigned one', () => {
    const aino = { kind: 'student', id: 's-aino' } as const;
    expect(capacityViewingRefusal(aino, 's-aino', standing(), T0)).toBeUndefined();
    expect(capacityViewingRefusal({ kind: 'student', id: 's-other' }, 's-aino', standing(), T0)).toMatchObject({ code: 'not_the_student', kind: 'forbidden' });
    expect(capacityViewingRefusal({ kind: 'professional', ...nurse }, 's-aino', standing(assignment({ role: 'nurse' })), T0)).toBeUndefined();
    expect(capacityViewingRefusal({ kind: 'professional', ...nurse }, 's-aino', standing(assignment({ role: 'curator' })), T0)).toMatchObject({ code: 'not_assigned_to_student' });
    expect(capacityViewingRefusal({ kind: 'professional', ...curator }, 's-aino', standing(assignment({ ended: true })), T0)).toMatchObject({ code: 'not_assigned_to_student' });
  });
});
