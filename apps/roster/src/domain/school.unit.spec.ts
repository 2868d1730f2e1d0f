import { given } from './given';
import { schoolDecider, knownSchool, type RegisterSchool, type SchoolRegistered } from './school';

const at = '2026-03-01T08:00:00.000Z';
const register: RegisterSchool = { type: 'RegisterSchool', schoolId: 's-1', name: 'Koivukylän koulu', byMunicipalityId: 'vantaa', registeredAt: at };
const registered: SchoolRegistered = { type: 'SchoolRegistered', schoolId: 's-1', name: 'Koivukylän koulu', municipalityId: 'vantaa', registeredAt: at };

describe('school decider', () => {
  it("registers a new school under the caller's municipality", () => {
    expect(given(schoolDecider, []).when(register)).toEqual([registered]);
  });

  it('refuses to register the same school twice', () => {
    expect(given(schoolDecider, [registered]).when(register)).toEqual({ rejected: 'school_exists' });
  });

  it('tells other deciders which municipality runs the school', () => {
    expect(knownSchool(schoolDecider.evolve(schoolDecider.initialState, registered))).toEqual({ schoolId: 's-1', municipalityId: 'vantaa' });
    expect(knownSchool(schoolDecider.initialState)).toBeUndefined();
  });
});
