import { deciderSpecification } from '@silta/testing/decider-spec';
import {
  ConsentError,
  confidentialityDecider,
  confidentialityRefusal,
  type AssessGuardianBan,
  type BanAssessor,
  type ConfidentialityEvent,
  type Declarant,
  type ConfidentialRole,
  type SetGuardianVisibility,
  type StudentStanding,
} from '.';
import { assignment, standing } from '../testing/standing';

// Given declarations, when a student or a professional declares, then events or a refusal (STYLE.md).

const T0 = new Date('2026-03-02T08:00:00.000Z');
const T1 = new Date('2026-03-09T08:00:00.000Z');

const aino: Declarant = { kind: 'student', id: 's-aino' };
const otherStudent: Declarant = { kind: 'student', id: 's-other' };
const curator: Declarant = { kind: 'professional', id: 'p-curator', role: 'curator', org: 'welfare-area:itu-uusimaa' };
const psychologist: Declarant = { kind: 'professional', id: 'p-psychologist', role: 'psychologist', org: 'welfare-area:itu-uusimaa' };
const curatorOfAnotherArea: Declarant = { ...curator, org: 'welfare-area:keski-uusimaa' };

const assignedCurator = standing(assignment());

const given = deciderSpecification(confidentialityDecider, ConsentError);

function declare(actor: Declarant, hiddenRoles: SetGuardianVisibility['hiddenRoles'], overrides: Partial<SetGuardianVisibility> = {}): SetGuardianVisibility {
  const assigned = actor.kind === 'professional' ? standing(assignment({ role: actor.role })) : standing();
  return { type: 'SetGuardianVisibility', studentId: 's-aino', hiddenRoles, actor, standing: assigned, now: T0, ...overrides };
}

const restrictedByAino: ConfidentialityEvent = { type: 'GuardianVisibilityRestricted', studentId: 's-aino', roles: ['curator', 'psychologist'], declaredBy: aino, at: T0.toISOString() };

describe("declaring what a student's guardians may see", () => {
  it('lets the student hide curator and psychologist disclosures from their guardians', () => {
    given().when(declare(aino, ['curator', 'psychologist'])).then([restrictedByAino]);
  });

  it('records the roles in one order, whatever order they were asked in', () => {
    given().when(declare(aino, ['psychologist', 'curator'])).then([restrictedByAino]);
  });

  it("records a curator declaring on the student's behalf as such, with role and welfare area", () => {
    given()
      .when(declare(curator, ['curator']))
      .then([{ type: 'GuardianVisibilityRestricted', studentId: 's-aino', roles: ['curator'], declaredBy: curator, at: T0.toISOString() }]);
  });

  it('replaces the hidden set with the new one, by whoever declares it', () => {
    given(restrictedByAino)
      .when(declare(psychologist, ['psychologist'], { now: T1 }))
      .then([{ type: 'GuardianVisibilityRestricted', studentId: 's-aino', roles: ['psychologist'], declaredBy: psychologist, at: T1.toISOString() }]);
  });

  it('restores what guardians see with an empty set', () => {
    given(restrictedByAino)
      .when(declare(aino, [], { now: T1 }))
      .then([{ type: 'GuardianVisibilityRestored', studentId: 's-aino', declaredBy: aino, at: T1.toISOString() }]);
  });

  it('records a repeated declaration too: who declared, and when, is worth keeping', () => {
    given(restrictedByAino)
      .when(declare(aino, ['curator', 'psychologist'], { now: T1 }))
      .then([{ ...restrictedByAino, at: T1.toISOString() }]);
  });

  it('refuses a student declaring for another student', () => {
    given().when(declare(otherStudent, ['curator'])).thenThrows('not_the_student');
  });

  it('refuses a professional naming a student the roster does not know', () => {
    const unknown: StudentStanding = { schoolId: undefined, schoolServedBy: undefined, callerAssignments: [] };
    given().when(declare(curator, ['curator'], { standing: unknown })).thenThrows('not_assigned_to_student');
  });

  it('takes the student at their token: their own declaration needs no roster lookup', () => {
    const unknown: StudentStanding = { schoolId: undefined, schoolServedBy: undefined, callerAssignments: [] };
    given().when(declare(aino, ['curator'], { standing: unknown })).then([expect.objectContaining({ type: 'GuardianVisibilityRestricted', declaredBy: aino })]);
  });

  describe('by a professional, only while assigned to the student’s school', () => {
    const refused: Array<[string, Declarant, StudentStanding, Date?]> = [
      ['with no assignment anywhere', curator, standing()],
      ['of another welfare area, with an assignment there to the same school', curatorOfAnotherArea, standing(assignment({ welfareAreaId: 'keski-uusimaa' }))],
      ['whose assignment names another welfare area than the token', curatorOfAnotherArea, assignedCurator],
      ['assigned to the school under another role', psychologist, standing(assignment({ role: 'curator' }))],
      ['assigned to another school (the student moved)', curator, { ...assignedCurator, callerAssignments: [assignment({ schoolId: 'school-b' })] }],
      ['whose assignment has ended', curator, standing(assignment({ ended: true }))],
      ['whose assignment has not begun', curator, standing(assignment({ validFrom: '2026-04-01' }))],
      ['whose assignment ran out', curator, standing(assignment({ validUntil: '2026-03-01' }))],
      ['at a school no welfare area is declared to serve', curator, { ...assignedCurator, schoolServedBy: undefined }],
      ['at a school another welfare area serves', curator, { ...assignedCurator, schoolServedBy: 'keski-uusimaa' }],
    ];
    it.each(refused)('refuses a curator or psychologist %s', (_what, actor, roster) => {
      given().when(declare(actor, ['curator'], { standing: roster })).thenThrows('not_assigned_to_student');
      expect(confidentialityRefusal(actor, 's-aino', roster, T0)).toMatchObject({ code: 'not_assigned_to_student', kind: 'forbidden' });
    });

    it('accepts one assigned today, in their role, by their own welfare area, to the school it serves, first and last day included', () => {
      given().when(declare(curator, ['curator'], { standing: assignedCurator })).then([expect.objectContaining({ declaredBy: curator })]);
      const oneDay = standing(assignment({ validFrom: '2026-03-02', validUntil: '2026-03-02' }));
      given().when(declare(curator, ['curator'], { standing: oneDay })).then([expect.objectContaining({ declaredBy: curator })]);
      const openEnded = standing(assignment({ ended: true }), assignment({ assignmentId: 'a-2', validUntil: undefined }));
      expect(confidentialityRefusal(curator, 's-aino', openEnded, T1)).toBeUndefined();
    });
  });
});

describe("a student's guardian visibility", () => {
  it('hides nothing until something is declared', () => {
    expect(given().state).toEqual({ hiddenRoles: [] });
  });

  it('is the newest declaration, with who made it and when', () => {
    const restoredByCurator: ConfidentialityEvent = { type: 'GuardianVisibilityRestored', studentId: 's-aino', declaredBy: curator, at: T1.toISOString() };
    expect(given(restrictedByAino).state).toEqual({ hiddenRoles: ['curator', 'psychologist'], declaration: { roles: ['curator', 'psychologist'], declaredBy: aino, at: T0.toISOString() } });
    expect(given(restrictedByAino, restoredByCurator).state).toEqual({ hiddenRoles: [], declaration: { roles: [], declaredBy: curator, at: T1.toISOString() } });
  });

  it('may be seen by the student themself and by an assigned professional, not by another student or an unassigned one', () => {
    expect(confidentialityRefusal(aino, 's-aino', standing(), T0)).toBeUndefined();
    expect(confidentialityRefusal(curator, 's-aino', assignedCurator, T0)).toBeUndefined();
    expect(confidentialityRefusal(otherStudent, 's-aino', standing(), T0)).toMatchObject({ code: 'not_the_student', kind: 'forbidden' });
    expect(confidentialityRefusal(curator, 's-aino', standing(), T0)).toMatchObject({ code: 'not_assigned_to_student', kind: 'forbidden' });
  });
});

describe('a ban on health data: nurse and doctor disclosures (potilaslaki 9 § 2 mom)', () => {
  it('lets the student hide nurse disclosures from their guardians', () => {
    given()
      .when(declare(aino, ['nurse']))
      .then([{ type: 'GuardianVisibilityRestricted', studentId: 's-aino', roles: ['nurse'], declaredBy: aino, at: T0.toISOString() }]);
  });

  it('lets the student hide doctor disclosures, with every other role, in one order', () => {
    given()
      .when(declare(aino, ['doctor', 'curator', 'nurse', 'psychologist']))
      .then([{ type: 'GuardianVisibilityRestricted', studentId: 's-aino', roles: ['curator', 'psychologist', 'nurse', 'doctor'], declaredBy: aino, at: T0.toISOString() }]);
  });

  it("lets an assigned nurse or doctor record the student's ban on their behalf", () => {
    for (const role of ['nurse', 'doctor'] as const) {
      const professional: Declarant = { kind: 'professional', id: `p-${role}`, role, org: 'welfare-area:itu-uusimaa' };
      given()
        .when(declare(professional, [role]))
        .then([{ type: 'GuardianVisibilityRestricted', studentId: 's-aino', roles: [role], declaredBy: professional, at: T0.toISOString() }]);
      given().when(declare(professional, [role], { standing: standing() })).thenThrows('not_assigned_to_student');
    }
  });
});

describe("assessing a student's ban on curator or psychologist disclosures (1287/2013 18 §, 812/2000 11 §)", () => {
  const why = "Kept from the guardians, the visits cannot address the danger at home; the child's interest clearly needs them told.";
  const health = (role: 'nurse' | 'doctor' | 'psychologist'): BanAssessor => ({ kind: 'professional', id: `p-${role}`, role, org: 'welfare-area:itu-uusimaa' });
  const nurse = health('nurse');

  function assess(actor: Declarant, outcome: AssessGuardianBan['outcome'], overrides: Partial<AssessGuardianBan> = {}): AssessGuardianBan {
    const assigned = actor.kind === 'professional' ? standing(assignment({ role: actor.role })) : standing();
    return { type: 'AssessGuardianBan', studentId: 's-aino', outcome, why, actor, standing: assigned, now: T1, ...overrides };
  }
  const restricted = (...roles: ConfidentialRole[]): ConfidentialityEvent => ({ type: 'GuardianVisibilityRestricted', studentId: 's-aino', roles, declaredBy: aino, at: T0.toISOString() });
  const assessed = (assessedBy: BanAssessor, outcome: AssessGuardianBan['outcome'], roles: ConfidentialRole[], hiddenRoles: ConfidentialRole[]): ConfidentialityEvent => ({
    type: 'GuardianBanAssessed',
    studentId: 's-aino',
    outcome,
    roles,
    hiddenRoles,
    why,
    assessedBy,
    at: T1.toISOString(),
  });

  it.each(['nurse', 'doctor', 'psychologist'] as const)('lets an assigned %s override a ban on curator disclosures: guardians see them again', (role) => {
    given(restricted('curator')).when(assess(health(role), 'overridden')).then([assessed(health(role), 'overridden', ['curator'], [])]);
    expect(given(restricted('curator'), assessed(health(role), 'overridden', ['curator'], [])).state.hiddenRoles).toEqual([]);
  });

  it('refuses a curator assessing: a curator is not a health-care professional', () => {
    given(restricted('curator')).when(assess(curator, 'overridden')).thenThrows('not_a_health_professional');
  });

  it('refuses a student assessing their own ban', () => {
    given(restricted('curator')).when(assess(aino, 'overridden')).thenThrows('not_a_health_professional');
  });

  it('refuses a nurse not assigned to the student’s school, or whose assignment has ended', () => {
    given(restricted('curator')).when(assess(nurse, 'overridden', { standing: standing() })).thenThrows('not_assigned_to_student');
    given(restricted('curator')).when(assess(nurse, 'overridden', { standing: standing(assignment({ role: 'nurse', ended: true })) })).thenThrows('not_assigned_to_student');
    given(restricted('curator')).when(assess(nurse, 'overridden', { standing: standing(assignment({ role: 'doctor' })) })).thenThrows('not_assigned_to_student');
  });

  it('does not lift a ban on nurse or doctor disclosures: an override lifts the curator and psychologist part only', () => {
    const both = given(restricted('curator', 'nurse', 'doctor'));
    both.when(assess(nurse, 'overridden')).then([assessed(nurse, 'overridden', ['curator'], ['nurse', 'doctor'])]);
    const after = given(restricted('curator', 'nurse', 'doctor'), assessed(nurse, 'overridden', ['curator'], ['nurse', 'doctor'])).state;
    expect(after.hiddenRoles).toEqual(['nurse', 'doctor']);
    expect(after.declaration?.roles).toEqual(['curator', 'nurse', 'doctor']);
  });

  it('refuses (409) to assess when no ban on curator or psychologist disclosures is in force', () => {
    given().when(assess(nurse, 'overridden')).thenThrows('no_ban_to_assess');
    given(restricted('nurse')).when(assess(nurse, 'overridden')).thenThrows('no_ban_to_assess');
    given(restricted('curator'), { type: 'GuardianVisibilityRestored', studentId: 's-aino', declaredBy: aino, at: T0.toISOString() }).when(assess(nurse, 'upheld')).thenThrows('no_ban_to_assess');
    expect(() => confidentialityDecider.decide(assess(nurse, 'upheld'), confidentialityDecider.initialState)).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });

  it('keeps an upheld ban, recorded with who assessed it, when and why', () => {
    given(restricted('curator', 'psychologist')).when(assess(nurse, 'upheld')).then([assessed(nurse, 'upheld', ['curator', 'psychologist'], ['curator', 'psychologist'])]);
    const state = given(restricted('curator', 'psychologist'), assessed(nurse, 'upheld', ['curator', 'psychologist'], ['curator', 'psychologist'])).state;
    expect(state).toEqual({
      hiddenRoles: ['curator', 'psychologist'],
      declaration: { roles: ['curator', 'psychologist'], declaredBy: aino, at: T0.toISOString() },
      assessment: { outcome: 'upheld', roles: ['curator', 'psychologist'], why, assessedBy: nurse, at: T1.toISOString() },
    });
  });

  it('starts afresh on a new declaration: the earlier assessment no longer applies to it', () => {
    const overridden = assessed(nurse, 'overridden', ['curator'], []);
    const T2 = new Date('2026-03-16T08:00:00.000Z');
    given(restricted('curator'), overridden)
      .when(declare(aino, ['curator'], { now: T2 }))
      .then([{ type: 'GuardianVisibilityRestricted', studentId: 's-aino', roles: ['curator'], declaredBy: aino, at: T2.toISOString() }]);
    const redeclared = given(restricted('curator'), overridden, { ...restricted('curator'), at: T2.toISOString() }).state;
    expect(redeclared).toEqual({ hiddenRoles: ['curator'], declaration: { roles: ['curator'], declaredBy: aino, at: T2.toISOString() } });
  });

  it('lets a later assessment of the same declaration replace an earlier one', () => {
    const state = given(restricted('curator'), assessed(nurse, 'overridden', ['curator'], [])).state;
    given(restricted('curator'), assessed(nurse, 'overridden', ['curator'], []))
      .when(assess(health('doctor'), 'upheld'))
      .then([assessed(health('doctor'), 'upheld', ['curator'], ['curator'])]);
    expect(state.hiddenRoles).toEqual([]);
  });
});
