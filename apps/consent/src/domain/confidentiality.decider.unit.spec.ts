import {
  ConsentError,
  confidentialityDecider,
  confidentialityRefusal,
  type ConfidentialityEvent,
  type CallerAssignment,
  type Declarant,
  type SetGuardianVisibility,
  type StudentStanding,
} from '.';

// Given declarations, when a student or a professional declares, then events or a refusal (STYLE.md).

const T0 = new Date('2026-03-02T08:00:00.000Z');
const T1 = new Date('2026-03-09T08:00:00.000Z');

const aino: Declarant = { kind: 'student', id: 's-aino' };
const otherStudent: Declarant = { kind: 'student', id: 's-other' };
const curator: Declarant = { kind: 'professional', id: 'p-curator', role: 'curator', org: 'welfare-area:itu-uusimaa' };
const psychologist: Declarant = { kind: 'professional', id: 'p-psychologist', role: 'psychologist', org: 'welfare-area:itu-uusimaa' };
const curatorOfAnotherArea: Declarant = { ...curator, org: 'welfare-area:keski-uusimaa' };

/** An assignment of the declaring professional to Aino's school, valid on T0 and T1. */
const assignment = (overrides: Partial<CallerAssignment> = {}): CallerAssignment => ({
  assignmentId: 'a-1',
  role: 'curator',
  welfareAreaId: 'itu-uusimaa',
  schoolId: 'school-a',
  validFrom: '2026-01-01',
  validUntil: '2026-12-31',
  ended: false,
  ...overrides,
});
/** Aino is at school-a, which itu-uusimaa serves; the caller holds these assignments. */
const standing = (...callerAssignments: CallerAssignment[]): StudentStanding => ({ schoolId: 'school-a', schoolServedBy: 'itu-uusimaa', callerAssignments });
const assignedCurator = standing(assignment());

function given(...events: ConfidentialityEvent[]) {
  const state = events.reduce(confidentialityDecider.evolve, confidentialityDecider.initialState);
  return {
    state,
    when(command: SetGuardianVisibility) {
      const decide = () => confidentialityDecider.decide(command, state);
      return {
        then: (expected: ConfidentialityEvent[]) => expect(decide()).toEqual(expected),
        thenRefused: (code: string) => {
          expect(decide).toThrow(ConsentError);
          expect(() => decide()).toThrow(expect.objectContaining({ code }));
        },
      };
    },
  };
}

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
    given().when(declare(otherStudent, ['curator'])).thenRefused('not_the_student');
  });

  it('refuses a professional naming a student the roster does not know', () => {
    const unknown: StudentStanding = { schoolId: undefined, schoolServedBy: undefined, callerAssignments: [] };
    given().when(declare(curator, ['curator'], { standing: unknown })).thenRefused('not_assigned_to_student');
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
      given().when(declare(actor, ['curator'], { standing: roster })).thenRefused('not_assigned_to_student');
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
    expect(given(restrictedByAino).state).toEqual({ hiddenRoles: ['curator', 'psychologist'], declaration: { declaredBy: aino, at: T0.toISOString() } });
    expect(given(restrictedByAino, restoredByCurator).state).toEqual({ hiddenRoles: [], declaration: { declaredBy: curator, at: T1.toISOString() } });
  });

  it('may be seen by the student themself and by an assigned professional, not by another student or an unassigned one', () => {
    expect(confidentialityRefusal(aino, 's-aino', standing(), T0)).toBeUndefined();
    expect(confidentialityRefusal(curator, 's-aino', assignedCurator, T0)).toBeUndefined();
    expect(confidentialityRefusal(otherStudent, 's-aino', standing(), T0)).toMatchObject({ code: 'not_the_student', kind: 'forbidden' });
    expect(confidentialityRefusal(curator, 's-aino', standing(), T0)).toMatchObject({ code: 'not_assigned_to_student', kind: 'forbidden' });
  });
});
