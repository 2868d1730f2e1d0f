import { deciderSpecification } from '@silta/testing/decider-spec';
import { RosterError } from './errors';
import { schoolDecider, knownSchool, type DeclareSchoolService, type RegisterSchool, type SchoolRegistered, type SchoolServiceDeclared } from './school';

const school = deciderSpecification(schoolDecider, RosterError);
const at = '2026-03-01T08:00:00.000Z';
const register: RegisterSchool = { type: 'RegisterSchool', schoolId: 's-1', name: 'Koivukylän koulu', byMunicipalityId: 'vantaa', registeredAt: at };
const registered: SchoolRegistered = { type: 'SchoolRegistered', schoolId: 's-1', name: 'Koivukylän koulu', municipalityId: 'vantaa', registeredAt: at };

describe('school decider', () => {
  it("registers a new school under the caller's municipality", () => {
    school().when(register).then([registered]);
  });

  it('refuses to register the same school twice', () => {
    school(registered).when(register).thenThrows('school_exists');
  });

  it('tells other deciders which municipality runs the school', () => {
    expect(knownSchool(schoolDecider.evolve(schoolDecider.initialState, registered))).toEqual({ schoolId: 's-1', municipalityId: 'vantaa' });
    expect(knownSchool(schoolDecider.initialState)).toBeUndefined();
  });

  describe('the service relation', () => {
    const later = '2026-04-01T08:00:00.000Z';
    const declare = (welfareAreaId = 'itu-uusimaa', byMunicipalityId = 'vantaa'): DeclareSchoolService => ({
      type: 'DeclareSchoolService',
      schoolId: 's-1',
      welfareAreaId,
      byMunicipalityId,
      declaredAt: later,
    });
    const declared: SchoolServiceDeclared = { type: 'SchoolServiceDeclared', schoolId: 's-1', municipalityId: 'vantaa', welfareAreaId: 'itu-uusimaa', declaredAt: later };

    it("declares which welfare area serves a school of the caller's municipality", () => {
      school(registered).when(declare()).then([declared]);
    });

    it('replaces the previous declaration with the newest, and writes nothing when nothing changes', () => {
      school(registered, declared).when(declare('vantaa-kerava')).then([{ ...declared, welfareAreaId: 'vantaa-kerava' }]);
      school(registered, declared).when(declare()).then([]);
    });

    it("refuses another municipality's admin", () => {
      school(registered).when(declare('itu-uusimaa', 'helsinki')).thenThrows('other_organisation');
    });

    it('refuses an unknown school', () => {
      school().when(declare()).thenThrows('school_not_found');
    });

    it('tells other deciders the newest welfare area that serves the school', () => {
      const state = [registered, declared, { ...declared, welfareAreaId: 'vantaa-kerava' }].reduce(schoolDecider.evolve, schoolDecider.initialState);
      expect(knownSchool(state)).toEqual({ schoolId: 's-1', municipalityId: 'vantaa', servedByWelfareAreaId: 'vantaa-kerava' });
    });
  });
});
