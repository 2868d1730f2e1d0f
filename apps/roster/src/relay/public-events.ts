import {
  AssignmentEndedV1,
  GuardianLinkedV1,
  GuardianUnlinkedV1,
  ProfessionalAssignedV1,
  SchoolRegisteredV1,
  SchoolServiceDeclaredV1,
  StudentCapacityRecordedV1,
  StudentEnrolledV1,
  StudentTransferredV1,
  WelfareAccessChangedV1,
  type IntegrationEventContract,
} from '@silta/contracts';
import type { RecordedEvent } from '@silta/event-store';
import type { OutgoingMessage } from '@silta/messaging';
import type { AssignmentEvent } from '../domain/assignment';
import type { SchoolEvent } from '../domain/school';
import type { StudentRecordsEvent } from '../domain/student-records';
import type { StudentEvent } from '../domain/student';

/** Every event roster's store holds. */
export type RosterEvent = SchoolEvent | StudentEvent | AssignmentEvent | StudentRecordsEvent;

/**
 * What the relay publishes on silta.roster.v1 for a stored event: ids and relationships only.
 * Names, birth dates, groups, education forms, guardian contacts and education records stay in
 * roster; records and education forms are never published at all (undefined), and disclosure
 * fetches what it needs from roster when deciding.
 */
export function toPublicMessage(recorded: RecordedEvent): OutgoingMessage | undefined {
  return publicMessageOf({ type: recorded.type, ...(recorded.data as object) } as RosterEvent);
}

/**
 * The message a roster event becomes on silta.roster.v1, or undefined if it is never published.
 * Writes check it against its contract before appending, so the relay never publishes what a
 * consumer would refuse.
 */
export function publicMessageOf(event: RosterEvent): OutgoingMessage | undefined {
  switch (event.type) {
    case 'SchoolRegistered':
      return message(SchoolRegisteredV1, { schoolId: event.schoolId, municipalityId: event.municipalityId });
    case 'SchoolServiceDeclared':
      return message(SchoolServiceDeclaredV1, {
        schoolId: event.schoolId,
        municipalityId: event.municipalityId,
        welfareAreaId: event.welfareAreaId,
        declaredAt: event.declaredAt,
      });
    case 'StudentEnrolled':
      return message(StudentEnrolledV1, { studentId: event.studentId, schoolId: event.schoolId, enrolledAt: event.enrolledAt });
    case 'StudentTransferred':
      return message(StudentTransferredV1, {
        studentId: event.studentId,
        fromSchoolId: event.fromSchoolId,
        toSchoolId: event.toSchoolId,
        transferredAt: event.transferredAt,
      });
    case 'GuardianLinked':
      return message(GuardianLinkedV1, { studentId: event.studentId, guardianId: event.guardianId, linkedAt: event.linkedAt });
    case 'GuardianUnlinked':
      return message(GuardianUnlinkedV1, { studentId: event.studentId, guardianId: event.guardianId, unlinkedAt: event.unlinkedAt });
    case 'StudentCapacityRecorded':
      return message(StudentCapacityRecordedV1, { studentId: event.studentId, decidesForSelf: event.decidesForSelf, recordedAt: event.recordedAt });
    case 'WelfareAccessChanged':
      return message(WelfareAccessChangedV1, { studentId: event.studentId, active: event.active, changedAt: event.changedAt });
    case 'ProfessionalAssigned':
      return message(ProfessionalAssignedV1, {
        assignmentId: event.assignmentId,
        professionalId: event.professionalId,
        role: event.role,
        welfareAreaId: event.welfareAreaId,
        schoolId: event.schoolId,
        validFrom: event.validFrom,
        ...(event.validUntil !== undefined && { validUntil: event.validUntil }),
      });
    case 'AssignmentEnded':
      return message(AssignmentEndedV1, { assignmentId: event.assignmentId, schoolId: event.schoolId, endedAt: event.endedAt });
    case 'RecordIngested':
      return undefined;
    case 'StudentEducationSet':
      // Private like the birth date: disclosure reads it from roster when deciding.
      return undefined;
    default:
      // Not a roster event: another service's, in a shared EventStoreDB. Nothing to publish.
      return ignore(event);
  }
}

/** Compile-time exhaustiveness for roster's own events; at run time, skip foreign ones. */
function ignore(_event: never): undefined {
  return undefined;
}

function message<Payload>(contract: IntegrationEventContract<string, Payload>, payload: Payload): OutgoingMessage {
  return { key: contract.key(payload), type: contract.type, schemaVersion: contract.schemaVersion, payload };
}
