import { z } from 'zod';
import { defineContract } from './contract';
import { Topics } from './topics';

// Roster's public events carry identifiers and relationships only: education records and
// personal details never travel on Kafka (DESIGN.md §4); disclosure fetches them from roster.

const id = z.string().min(1).max(200);
const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });
export const WelfareRole = z.enum(['curator', 'psychologist', 'nurse', 'doctor']);

export const SchoolRegisteredV1 = defineContract({
  type: 'SchoolRegistered',
  schemaVersion: 1,
  topic: Topics.roster,
  schema: z.strictObject({ schoolId: id, municipalityId: id }),
  key: (p) => p.schoolId,
});

export const StudentEnrolledV1 = defineContract({
  type: 'StudentEnrolled',
  schemaVersion: 1,
  topic: Topics.roster,
  schema: z.strictObject({ studentId: id, schoolId: id, enrolledAt: isoDateTime }),
  key: (p) => p.studentId,
});

export const StudentTransferredV1 = defineContract({
  type: 'StudentTransferred',
  schemaVersion: 1,
  topic: Topics.roster,
  schema: z.strictObject({ studentId: id, fromSchoolId: id, toSchoolId: id, transferredAt: isoDateTime }),
  key: (p) => p.studentId,
  narrowsAccess: true,
});

export const GuardianLinkedV1 = defineContract({
  type: 'GuardianLinked',
  schemaVersion: 1,
  topic: Topics.roster,
  schema: z.strictObject({ studentId: id, guardianId: id, linkedAt: isoDateTime }),
  key: (p) => p.studentId,
});

export const GuardianUnlinkedV1 = defineContract({
  type: 'GuardianUnlinked',
  schemaVersion: 1,
  topic: Topics.roster,
  schema: z.strictObject({ studentId: id, guardianId: id, unlinkedAt: isoDateTime }),
  key: (p) => p.studentId,
  narrowsAccess: true,
});

export const StudentCapacityRecordedV1 = defineContract({
  type: 'StudentCapacityRecorded',
  schemaVersion: 1,
  topic: Topics.roster,
  schema: z.strictObject({ studentId: id, decidesForSelf: z.boolean(), recordedAt: isoDateTime }),
  key: (p) => p.studentId,
  narrowsAccess: true,
});

export const WelfareAccessChangedV1 = defineContract({
  type: 'WelfareAccessChanged',
  schemaVersion: 1,
  topic: Topics.roster,
  schema: z.strictObject({ studentId: id, active: z.boolean(), changedAt: isoDateTime }),
  key: (p) => p.studentId,
  narrowsAccess: true,
});

export const ProfessionalAssignedV1 = defineContract({
  type: 'ProfessionalAssigned',
  schemaVersion: 1,
  topic: Topics.roster,
  schema: z.strictObject({
    assignmentId: id,
    professionalId: id,
    role: WelfareRole,
    welfareAreaId: id,
    schoolId: id,
    validFrom: isoDate,
    validUntil: isoDate.optional(),
  }),
  key: (p) => p.schoolId,
});

export const AssignmentEndedV1 = defineContract({
  type: 'AssignmentEnded',
  schemaVersion: 1,
  topic: Topics.roster,
  schema: z.strictObject({ assignmentId: id, schoolId: id, endedAt: isoDateTime }),
  key: (p) => p.schoolId,
  narrowsAccess: true,
});

/**
 * The municipality declared which welfare area serves one of its schools (DESIGN.md §1: the
 * service relation). The newest declaration replaces the previous one: only the declared welfare
 * area's professionals may be assigned to the school, or receive data about its students.
 */
export const SchoolServiceDeclaredV1 = defineContract({
  type: 'SchoolServiceDeclared',
  schemaVersion: 1,
  topic: Topics.roster,
  schema: z.strictObject({ schoolId: id, municipalityId: id, welfareAreaId: id, declaredAt: isoDateTime }),
  key: (p) => p.schoolId,
  narrowsAccess: true,
});

export const rosterContracts = [
  SchoolRegisteredV1,
  SchoolServiceDeclaredV1,
  StudentEnrolledV1,
  StudentTransferredV1,
  GuardianLinkedV1,
  GuardianUnlinkedV1,
  StudentCapacityRecordedV1,
  WelfareAccessChangedV1,
  ProfessionalAssignedV1,
  AssignmentEndedV1,
] as const;
