// Stream names of roster's event store. Records live apart from the student's stream so that
// reading a student for a roster change never loads their education records. `student_records`
// (not `student-records`) keeps the category prefix unambiguous: a student id such as
// `records-7` must not name another student's records stream.

/** Stream names, one per aggregate. */
export const streams = {
  school: (schoolId: string) => `school-${schoolId}`,
  student: (studentId: string) => `student-${studentId}`,
  studentRecords: (studentId: string) => `student_records-${studentId}`,
  assignment: (assignmentId: string) => `assignment-${assignmentId}`,
} as const;
