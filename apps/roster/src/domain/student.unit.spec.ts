import type { EducationForm } from '@silta/contracts';
import { deciderSpecification } from '@silta/testing/decider-spec';
import { RosterError } from './errors';
import type { KnownSchool } from './school';
import { studentDecider, type GuardianLinked, type StudentCommand, type StudentEnrolled, type StudentEvent } from './student';

const at = '2026-03-01T08:00:00.000Z';
const school: KnownSchool = { schoolId: 'school-a', municipalityId: 'vantaa' };
const sameMunicipalitySchool: KnownSchool = { schoolId: 'school-b', municipalityId: 'vantaa' };
const otherMunicipalitySchool: KnownSchool = { schoolId: 'school-h', municipalityId: 'helsinki' };

const enrolled: StudentEnrolled = {
  type: 'StudentEnrolled',
  studentId: 'st-1',
  schoolId: 'school-a',
  municipalityId: 'vantaa',
  name: 'Aino Oppilas',
  birthDate: '2012-05-06',
  group: '8B',
  educationForm: 'basic_education',
  inCompulsoryEducation: false,
  enrolledAt: at,
};
const guardianLinked: GuardianLinked = {
  type: 'GuardianLinked',
  studentId: 'st-1',
  guardianId: 'g-1',
  name: 'Ilona Huoltaja',
  contact: { email: 'ilona@example.invalid' },
  linkedAt: at,
};

const student = deciderSpecification(studentDecider, RosterError);
const enroll = (overrides: Partial<Extract<StudentCommand, { type: 'EnrollStudent' }>> = {}): StudentCommand => ({
  type: 'EnrollStudent',
  studentId: 'st-1',
  school,
  name: 'Aino Oppilas',
  birthDate: '2012-05-06',
  group: '8B',
  educationForm: 'basic_education',
  inCompulsoryEducation: false,
  byMunicipalityId: 'vantaa',
  enrolledAt: at,
  ...overrides,
});
const transferTo = (toSchool: KnownSchool | undefined, byMunicipalityId = 'vantaa'): StudentCommand => ({
  type: 'TransferStudent',
  studentId: 'st-1',
  toSchool,
  byMunicipalityId,
  transferredAt: at,
});
const link = (guardianId = 'g-1'): StudentCommand => ({
  type: 'LinkGuardian',
  studentId: 'st-1',
  guardianId,
  name: 'Ilona Huoltaja',
  contact: { email: 'ilona@example.invalid' },
  byMunicipalityId: 'vantaa',
  linkedAt: at,
});
const unlink = (guardianId = 'g-1', byMunicipalityId = 'vantaa'): StudentCommand => ({
  type: 'UnlinkGuardian',
  studentId: 'st-1',
  guardianId,
  byMunicipalityId,
  unlinkedAt: at,
});
const capacity = (decidesForSelf: boolean): StudentCommand => ({ type: 'RecordCapacity', studentId: 'st-1', decidesForSelf, byMunicipalityId: 'vantaa', recordedAt: at });
const setEducation = (educationForm: EducationForm, inCompulsoryEducation: boolean, byMunicipalityId = 'vantaa'): StudentCommand => ({
  type: 'SetEducation',
  studentId: 'st-1',
  educationForm,
  inCompulsoryEducation,
  byMunicipalityId,
  setAt: at,
});
const educationSet = (educationForm: EducationForm, inCompulsoryEducation: boolean): StudentEvent => ({
  type: 'StudentEducationSet',
  studentId: 'st-1',
  educationForm,
  inCompulsoryEducation,
  setAt: at,
});
/** The student's education as their stream tells it. */
const educationAfter = (...history: StudentEvent[]) => {
  const state = history.reduce(studentDecider.evolve, studentDecider.initialState);
  return state.status === 'enrolled' ? { educationForm: state.educationForm, inCompulsoryEducation: state.inCompulsoryEducation } : undefined;
};
const welfareAccess = (active: boolean, byMunicipalityId = 'vantaa'): StudentCommand => ({
  type: 'SetWelfareAccess',
  studentId: 'st-1',
  active,
  byMunicipalityId,
  changedAt: at,
});

describe('student decider', () => {
  describe('enrolment', () => {
    it("enrolls a student at a school of the caller's municipality, which then owns the student", () => {
      student().when(enroll()).then([enrolled]);
    });

    it('refuses an unknown school', () => {
      student().when(enroll({ school: undefined })).thenThrows('school_not_found');
    });

    it("refuses a school of another municipality", () => {
      student().when(enroll({ byMunicipalityId: 'helsinki' })).thenThrows('other_organisation');
    });

    it('refuses to enroll the same student twice', () => {
      student(enrolled).when(enroll()).thenThrows('already_enrolled');
    });
  });

  describe('transfer', () => {
    it('moves the student to another school of the same municipality, naming both schools', () => {
      student(enrolled).when(transferTo(sameMunicipalitySchool)).then([
        { type: 'StudentTransferred', studentId: 'st-1', fromSchoolId: 'school-a', toSchoolId: 'school-b', transferredAt: at },
      ]);
    });

    it('counts from the current school after a transfer', () => {
      const transferred: StudentEvent = { type: 'StudentTransferred', studentId: 'st-1', fromSchoolId: 'school-a', toSchoolId: 'school-b', transferredAt: at };
      student(enrolled, transferred).when(transferTo(school)).then([
        { type: 'StudentTransferred', studentId: 'st-1', fromSchoolId: 'school-b', toSchoolId: 'school-a', transferredAt: at },
      ]);
      student(enrolled, transferred).when(transferTo(sameMunicipalitySchool)).thenThrows('already_at_school');
    });

    it('refuses a transfer to the school the student is at', () => {
      student(enrolled).when(transferTo(school)).thenThrows('already_at_school');
    });

    it('refuses an unknown target school', () => {
      student(enrolled).when(transferTo(undefined)).thenThrows('school_not_found');
    });

    it("refuses a school of another municipality: that is an enrolment there, not a transfer", () => {
      student(enrolled).when(transferTo(otherMunicipalitySchool)).thenThrows('other_organisation');
    });

    it('lets only the owning municipality transfer', () => {
      student(enrolled).when(transferTo(otherMunicipalitySchool, 'helsinki')).thenThrows('other_organisation');
    });

    it('refuses to transfer a student who is not enrolled', () => {
      student().when(transferTo(sameMunicipalitySchool)).thenThrows('student_not_found');
    });
  });

  describe('guardians', () => {
    it('links a guardian with name and contact details', () => {
      student(enrolled).when(link()).then([guardianLinked]);
    });

    it('refuses to link the same guardian twice', () => {
      student(enrolled, guardianLinked).when(link()).thenThrows('guardian_already_linked');
    });

    it('links a second guardian', () => {
      student(enrolled, guardianLinked).when(link('g-2')).then([{ ...guardianLinked, guardianId: 'g-2' }]);
    });

    it('unlinks a linked guardian', () => {
      student(enrolled, guardianLinked).when(unlink()).then([{ type: 'GuardianUnlinked', studentId: 'st-1', guardianId: 'g-1', unlinkedAt: at }]);
    });

    it('refuses to unlink a guardian who is not linked', () => {
      student(enrolled, guardianLinked).when(unlink('g-9')).thenThrows('guardian_not_linked');
    });

    it('refuses to unlink a guardian twice, and allows linking them again afterwards', () => {
      const unlinked: StudentEvent = { type: 'GuardianUnlinked', studentId: 'st-1', guardianId: 'g-1', unlinkedAt: at };
      student(enrolled, guardianLinked, unlinked).when(unlink()).thenThrows('guardian_not_linked');
      student(enrolled, guardianLinked, unlinked).when(link()).then([guardianLinked]);
    });

    it('refuses guardians of a student of another municipality', () => {
      student(enrolled, guardianLinked).when(unlink('g-1', 'helsinki')).thenThrows('other_organisation');
    });

    it('refuses guardians of a student who is not enrolled', () => {
      student().when(link()).thenThrows('student_not_found');
    });

    it('keeps the guardians in the order they were linked', () => {
      const second = { ...guardianLinked, guardianId: '2' };
      const first = { ...guardianLinked, guardianId: '10' };
      const state = [enrolled, first, second].reduce(studentDecider.evolve, studentDecider.initialState);
      expect(state.status === 'enrolled' && state.guardians.map((g) => g.guardianId)).toEqual(['10', '2']);
    });
  });

  describe('capacity and welfare access', () => {
    it('records that the student decides for themselves, and records nothing when nothing changes', () => {
      const recorded: StudentEvent = { type: 'StudentCapacityRecorded', studentId: 'st-1', decidesForSelf: true, recordedAt: at };
      student(enrolled).when(capacity(true)).then([recorded]);
      student(enrolled, recorded).when(capacity(true)).then([]);
      student(enrolled).when(capacity(false)).then([]);
    });

    it('activates and deactivates welfare access, and records nothing when nothing changes', () => {
      const activated: StudentEvent = { type: 'WelfareAccessChanged', studentId: 'st-1', active: true, changedAt: at };
      student(enrolled).when(welfareAccess(true)).then([activated]);
      student(enrolled, activated).when(welfareAccess(true)).then([]);
      student(enrolled, activated).when(welfareAccess(false)).then([{ ...activated, active: false }]);
    });

    it('lets only the owning municipality change welfare access', () => {
      student(enrolled).when(welfareAccess(true, 'helsinki')).thenThrows('other_organisation');
    });
  });

  describe('education form', () => {
    it('records the form of education given at enrolment, and whether the student is in compulsory education', () => {
      const adult = enroll({ educationForm: 'adult_upper_secondary', inCompulsoryEducation: true });
      student().when(adult).then([{ ...enrolled, educationForm: 'adult_upper_secondary', inCompulsoryEducation: true }]);
    });

    it('reads an enrolment recorded before the education form as basic education, not in compulsory education', () => {
      const { educationForm: _form, inCompulsoryEducation: _compulsory, ...recordedBefore } = enrolled;
      expect(educationAfter(recordedBefore)).toEqual({ educationForm: 'basic_education', inCompulsoryEducation: false });
      expect(educationAfter({ ...enrolled, educationForm: 'preparatory', inCompulsoryEducation: true })).toEqual({ educationForm: 'preparatory', inCompulsoryEducation: true });
    });

    it('sets the form of education and compulsory education, and the student has them from then on', () => {
      student(enrolled).when(setEducation('adult_upper_secondary', false)).then([educationSet('adult_upper_secondary', false)]);
      expect(educationAfter(enrolled, educationSet('adult_upper_secondary', false), educationSet('adult_upper_secondary', true))).toEqual({
        educationForm: 'adult_upper_secondary',
        inCompulsoryEducation: true,
      });
    });

    it('records nothing when nothing changes, and records a change of either value', () => {
      const adult = educationSet('adult_upper_secondary', false);
      student(enrolled).when(setEducation('basic_education', false)).then([]);
      student(enrolled, adult).when(setEducation('adult_upper_secondary', false)).then([]);
      student(enrolled, adult).when(setEducation('adult_upper_secondary', true)).then([educationSet('adult_upper_secondary', true)]);
      student(enrolled, adult).when(setEducation('general_upper_secondary', false)).then([educationSet('general_upper_secondary', false)]);
    });

    it("lets only the owning municipality set a student's education", () => {
      student(enrolled).when(setEducation('adult_upper_secondary', false, 'helsinki')).thenThrows('other_organisation');
    });

    it('refuses to set the education of a student who is not enrolled', () => {
      student().when(setEducation('adult_upper_secondary', false)).thenThrows('student_not_found');
    });
  });
});
