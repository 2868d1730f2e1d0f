import {
  ConsentError,
  confidentialityDecider,
  confidentialityRefusal,
  type ConfidentialityEvent,
  type Declarant,
  type SetGuardianVisibility,
} from '.';

// Given declarations, when a student or a professional declares, then events or a refusal (STYLE.md).

const T0 = new Date('2026-03-02T08:00:00.000Z');
const T1 = new Date('2026-03-09T08:00:00.000Z');

const aino: Declarant = { kind: 'student', id: 's-aino' };
const otherStudent: Declarant = { kind: 'student', id: 's-other' };
const curator: Declarant = { kind: 'professional', id: 'p-curator', role: 'curator', org: 'welfare-area:itu-uusimaa' };
const psychologist: Declarant = { kind: 'professional', id: 'p-psychologist', role: 'psychologist', org: 'welfare-area:itu-uusimaa' };

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
  return { type: 'SetGuardianVisibility', studentId: 's-aino', hiddenRoles, actor, studentKnown: true, now: T0, ...overrides };
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
    given().when(declare(curator, ['curator'], { studentKnown: false })).thenRefused('student_not_found');
  });

  it('takes the student at their token: their own declaration needs no roster lookup', () => {
    given().when(declare(aino, ['curator'], { studentKnown: false })).then([expect.objectContaining({ type: 'GuardianVisibilityRestricted', declaredBy: aino })]);
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

  it('may be seen by the student themself and by welfare professionals, not by another student', () => {
    expect(confidentialityRefusal(aino, 's-aino')).toBeUndefined();
    expect(confidentialityRefusal(curator, 's-aino')).toBeUndefined();
    expect(confidentialityRefusal(otherStudent, 's-aino')).toMatchObject({ code: 'not_the_student', kind: 'forbidden' });
  });
});
