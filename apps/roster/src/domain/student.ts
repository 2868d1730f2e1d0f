import type { EducationForm } from '@silta/contracts';
import type { Decider } from '@silta/event-store';
import { RosterError, unreachable } from './errors';
import type { KnownSchool } from './school';

/** How a guardian can be reached; at least one of the two. */
export interface GuardianContact {
  readonly email?: string;
  readonly phone?: string;
}

// ---- events (stream `student-<studentId>`) ----

/** A student was enrolled at a school; the school's municipality owns the student's data from now on. */
export interface StudentEnrolled {
  readonly type: 'StudentEnrolled';
  readonly studentId: string;
  readonly schoolId: string;
  readonly municipalityId: string;
  readonly name: string;
  readonly birthDate: string;
  readonly group: string;
  /** Absent on enrolments recorded before the education form was: those students were in basic education (the seed's case). */
  readonly educationForm?: EducationForm;
  /** Absent on enrolments recorded before the education form was: read as false. */
  readonly inCompulsoryEducation?: boolean;
  readonly enrolledAt: string;
}

/** The student moved to another school of the same municipality. */
export interface StudentTransferred {
  readonly type: 'StudentTransferred';
  readonly studentId: string;
  readonly fromSchoolId: string;
  readonly toSchoolId: string;
  readonly transferredAt: string;
}

/** A guardian was linked to the student, with the contact details professionals may receive. */
export interface GuardianLinked {
  readonly type: 'GuardianLinked';
  readonly studentId: string;
  readonly guardianId: string;
  readonly name: string;
  readonly contact: GuardianContact;
  readonly linkedAt: string;
}

/** A guardian is no longer linked to the student. */
export interface GuardianUnlinked {
  readonly type: 'GuardianUnlinked';
  readonly studentId: string;
  readonly guardianId: string;
  readonly unlinkedAt: string;
}

/** Whether the student decides on consent for themselves (capacity) was recorded. */
export interface StudentCapacityRecorded {
  readonly type: 'StudentCapacityRecorded';
  readonly studentId: string;
  readonly decidesForSelf: boolean;
  readonly recordedAt: string;
}

/** The school admin activated or deactivated welfare access for the student. */
export interface WelfareAccessChanged {
  readonly type: 'WelfareAccessChanged';
  readonly studentId: string;
  readonly active: boolean;
  readonly changedAt: string;
}

/**
 * The school admin set the student's form of education and whether they are in compulsory
 * education (1214/2020): together they say whether the student-welfare act 1287/2013 covers the
 * student. Private to roster, like the birth date.
 */
export interface StudentEducationSet {
  readonly type: 'StudentEducationSet';
  readonly studentId: string;
  readonly educationForm: EducationForm;
  readonly inCompulsoryEducation: boolean;
  readonly setAt: string;
}

export type StudentEvent =
  | StudentEnrolled
  | StudentTransferred
  | GuardianLinked
  | GuardianUnlinked
  | StudentCapacityRecorded
  | WelfareAccessChanged
  | StudentEducationSet;

// ---- commands: `byMunicipalityId` is the caller's municipality, from the token ----

/** Enroll a new student at a school of the caller's municipality. */
export interface EnrollStudent {
  readonly type: 'EnrollStudent';
  readonly studentId: string;
  /** The school named in the request, or undefined if it is not registered. */
  readonly school: KnownSchool | undefined;
  readonly name: string;
  readonly birthDate: string;
  readonly group: string;
  readonly educationForm: EducationForm;
  readonly inCompulsoryEducation: boolean;
  readonly byMunicipalityId: string;
  readonly enrolledAt: string;
}

/** Move the student to another school of the same municipality. */
export interface TransferStudent {
  readonly type: 'TransferStudent';
  readonly studentId: string;
  /** The target school, or undefined if it is not registered. */
  readonly toSchool: KnownSchool | undefined;
  readonly byMunicipalityId: string;
  readonly transferredAt: string;
}

/** Link a guardian to the student. */
export interface LinkGuardian {
  readonly type: 'LinkGuardian';
  readonly studentId: string;
  readonly guardianId: string;
  readonly name: string;
  readonly contact: GuardianContact;
  readonly byMunicipalityId: string;
  readonly linkedAt: string;
}

/** Unlink a linked guardian from the student. */
export interface UnlinkGuardian {
  readonly type: 'UnlinkGuardian';
  readonly studentId: string;
  readonly guardianId: string;
  readonly byMunicipalityId: string;
  readonly unlinkedAt: string;
}

/** Record whether the student decides for themselves. */
export interface RecordCapacity {
  readonly type: 'RecordCapacity';
  readonly studentId: string;
  readonly decidesForSelf: boolean;
  readonly byMunicipalityId: string;
  readonly recordedAt: string;
}

/** Activate or deactivate welfare access for the student. */
export interface SetWelfareAccess {
  readonly type: 'SetWelfareAccess';
  readonly studentId: string;
  readonly active: boolean;
  readonly byMunicipalityId: string;
  readonly changedAt: string;
}

/** Set the student's form of education and whether they are in compulsory education. */
export interface SetEducation {
  readonly type: 'SetEducation';
  readonly studentId: string;
  readonly educationForm: EducationForm;
  readonly inCompulsoryEducation: boolean;
  readonly byMunicipalityId: string;
  readonly setAt: string;
}

export type StudentCommand = EnrollStudent | TransferStudent | LinkGuardian | UnlinkGuardian | RecordCapacity | SetWelfareAccess | SetEducation;

// ---- state ----

/** A guardian as linked to the student. */
export interface LinkedGuardian {
  readonly guardianId: string;
  readonly name: string;
  readonly contact: GuardianContact;
}

/** An enrolled student, with the municipality that owns the data. */
export interface EnrolledStudent {
  readonly status: 'enrolled';
  readonly studentId: string;
  readonly schoolId: string;
  readonly municipalityId: string;
  readonly name: string;
  readonly birthDate: string;
  readonly group: string;
  /** In the order they were linked. */
  readonly guardians: readonly LinkedGuardian[];
  readonly decidesForSelf: boolean;
  readonly welfareAccess: boolean;
  readonly educationForm: EducationForm;
  readonly inCompulsoryEducation: boolean;
}

export type StudentState = { readonly status: 'not_enrolled' } | EnrolledStudent;

/** The student stream `student-<studentId>`. */
export const studentDecider: Decider<StudentCommand, StudentEvent, StudentState> = {
  initialState: { status: 'not_enrolled' },

  decide(command, state) {
    if (command.type === 'EnrollStudent') return enroll(command, state);
    const student = ownedStudent(state, command.studentId, command.byMunicipalityId);
    switch (command.type) {
      case 'TransferStudent':
        return transfer(command, student);
      case 'LinkGuardian':
        if (isLinked(student, command.guardianId)) {
          throw new RosterError('guardian_already_linked', `guardian ${command.guardianId} is already linked to student ${command.studentId}`);
        }
        return [
          {
            type: 'GuardianLinked',
            studentId: command.studentId,
            guardianId: command.guardianId,
            name: command.name,
            contact: command.contact,
            linkedAt: command.linkedAt,
          },
        ];
      case 'UnlinkGuardian':
        if (!isLinked(student, command.guardianId)) {
          throw new RosterError('guardian_not_linked', `guardian ${command.guardianId} is not linked to student ${command.studentId}`);
        }
        return [{ type: 'GuardianUnlinked', studentId: command.studentId, guardianId: command.guardianId, unlinkedAt: command.unlinkedAt }];
      case 'RecordCapacity':
        // Setting what is already recorded changes nothing, so a retried PUT writes nothing.
        if (student.decidesForSelf === command.decidesForSelf) return [];
        return [{ type: 'StudentCapacityRecorded', studentId: command.studentId, decidesForSelf: command.decidesForSelf, recordedAt: command.recordedAt }];
      case 'SetWelfareAccess':
        if (student.welfareAccess === command.active) return [];
        return [{ type: 'WelfareAccessChanged', studentId: command.studentId, active: command.active, changedAt: command.changedAt }];
      case 'SetEducation':
        if (student.educationForm === command.educationForm && student.inCompulsoryEducation === command.inCompulsoryEducation) return [];
        return [
          {
            type: 'StudentEducationSet',
            studentId: command.studentId,
            educationForm: command.educationForm,
            inCompulsoryEducation: command.inCompulsoryEducation,
            setAt: command.setAt,
          },
        ];
      default:
        return unreachable(command);
    }
  },

  evolve(state, event) {
    if (event.type === 'StudentEnrolled') {
      const { type: _type, enrolledAt: _at, educationForm, inCompulsoryEducation, ...identity } = event;
      return {
        status: 'enrolled',
        ...identity,
        guardians: [],
        decidesForSelf: false,
        welfareAccess: false,
        // Enrolments recorded before the education form carry neither: the seed's students were in basic education.
        educationForm: educationForm ?? 'basic_education',
        inCompulsoryEducation: inCompulsoryEducation ?? false,
      };
    }
    if (state.status !== 'enrolled') return state; // nothing else can precede an enrolment
    switch (event.type) {
      case 'StudentTransferred':
        return { ...state, schoolId: event.toSchoolId };
      case 'GuardianLinked':
        return { ...state, guardians: [...state.guardians, { guardianId: event.guardianId, name: event.name, contact: event.contact }] };
      case 'GuardianUnlinked':
        return { ...state, guardians: state.guardians.filter((guardian) => guardian.guardianId !== event.guardianId) };
      case 'StudentCapacityRecorded':
        return { ...state, decidesForSelf: event.decidesForSelf };
      case 'WelfareAccessChanged':
        return { ...state, welfareAccess: event.active };
      case 'StudentEducationSet':
        return { ...state, educationForm: event.educationForm, inCompulsoryEducation: event.inCompulsoryEducation };
      default:
        return unreachable(event);
    }
  },
};

function enroll(command: EnrollStudent, state: StudentState): readonly StudentEvent[] {
  if (!command.school) throw new RosterError('school_not_found', 'the school is not registered');
  if (command.school.municipalityId !== command.byMunicipalityId) {
    throw new RosterError('other_organisation', `school ${command.school.schoolId} belongs to another municipality`);
  }
  if (state.status === 'enrolled') throw new RosterError('already_enrolled', `student ${command.studentId} is already enrolled`);
  return [
    {
      type: 'StudentEnrolled',
      studentId: command.studentId,
      schoolId: command.school.schoolId,
      municipalityId: command.school.municipalityId,
      name: command.name,
      birthDate: command.birthDate,
      group: command.group,
      educationForm: command.educationForm,
      inCompulsoryEducation: command.inCompulsoryEducation,
      enrolledAt: command.enrolledAt,
    },
  ];
}

function transfer(command: TransferStudent, student: EnrolledStudent): readonly StudentEvent[] {
  if (!command.toSchool) throw new RosterError('school_not_found', 'the target school is not registered');
  // A move to another municipality hands the student's data to another controller: that is a new
  // enrolment there, not a transfer.
  if (command.toSchool.municipalityId !== student.municipalityId) {
    throw new RosterError('other_organisation', `school ${command.toSchool.schoolId} belongs to another municipality`);
  }
  if (command.toSchool.schoolId === student.schoolId) {
    throw new RosterError('already_at_school', `student ${command.studentId} is already at school ${student.schoolId}`);
  }
  return [
    {
      type: 'StudentTransferred',
      studentId: command.studentId,
      fromSchoolId: student.schoolId,
      toSchoolId: command.toSchool.schoolId,
      transferredAt: command.transferredAt,
    },
  ];
}

function isLinked(student: EnrolledStudent, guardianId: string): boolean {
  return student.guardians.some((guardian) => guardian.guardianId === guardianId);
}

/** The enrolled student, if the caller's municipality owns them. */
export function ownedStudent(state: StudentState, studentId: string, byMunicipalityId: string): EnrolledStudent {
  if (state.status !== 'enrolled') throw new RosterError('student_not_found', `student ${studentId} is not enrolled`);
  if (state.municipalityId !== byMunicipalityId) throw new RosterError('other_organisation', `student ${studentId} belongs to another municipality`);
  return state;
}
