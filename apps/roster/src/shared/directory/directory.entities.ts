import { EntitySchema } from 'typeorm';

// Roster's directory: which schools, students and assignments belong to whom, so that lists can be
// read by organisation. Ids and owners only; everything else is read from the streams, which stay
// the truth (roster-directory.ts).

/** A registered school and the municipality that registered it (never changes). */
export interface DirectorySchoolRow {
  schoolId: string;
  municipalityId: string;
}

export const DirectorySchoolEntity = new EntitySchema<DirectorySchoolRow>({
  name: 'RosterDirectorySchool',
  tableName: 'roster_directory_schools',
  columns: {
    schoolId: { name: 'school_id', type: String, length: 200, primary: true },
    municipalityId: { name: 'municipality_id', type: String, length: 200 },
  },
  indices: [{ name: 'roster_directory_schools_municipality', columns: ['municipalityId', 'schoolId'] }],
});

/** An enrolled student and the school they are at now. */
export interface DirectoryStudentRow {
  studentId: string;
  schoolId: string;
}

export const DirectoryStudentEntity = new EntitySchema<DirectoryStudentRow>({
  name: 'RosterDirectoryStudent',
  tableName: 'roster_directory_students',
  columns: {
    studentId: { name: 'student_id', type: String, length: 200, primary: true },
    schoolId: { name: 'school_id', type: String, length: 200 },
  },
  indices: [{ name: 'roster_directory_students_school', columns: ['schoolId', 'studentId'] }],
});

/** An assignment, the welfare area that made it and its school (never change; its end is in its stream). */
export interface DirectoryAssignmentRow {
  assignmentId: string;
  welfareAreaId: string;
  schoolId: string;
}

export const DirectoryAssignmentEntity = new EntitySchema<DirectoryAssignmentRow>({
  name: 'RosterDirectoryAssignment',
  tableName: 'roster_directory_assignments',
  columns: {
    assignmentId: { name: 'assignment_id', type: String, length: 200, primary: true },
    welfareAreaId: { name: 'welfare_area_id', type: String, length: 200 },
    schoolId: { name: 'school_id', type: String, length: 200 },
  },
  indices: [{ name: 'roster_directory_assignments_area', columns: ['welfareAreaId', 'assignmentId'] }],
});

/** How far the directory has read roster's log: one row, the global position of the last event applied. */
export interface DirectoryPositionRow {
  name: string;
  /** A GlobalPosition as decimal text; empty before the first event. */
  position: string;
}

export const DirectoryPositionEntity = new EntitySchema<DirectoryPositionRow>({
  name: 'RosterDirectoryPosition',
  tableName: 'roster_directory_position',
  columns: {
    name: { type: String, length: 40, primary: true },
    position: { type: String, length: 40 },
  },
});

/** Every table of the directory. */
export const directoryEntities = [DirectorySchoolEntity, DirectoryStudentEntity, DirectoryAssignmentEntity, DirectoryPositionEntity];
