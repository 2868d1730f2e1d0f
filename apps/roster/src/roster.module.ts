import { Module } from '@nestjs/common';
import { Topics } from '@silta/contracts';
import { PlatformModule, relayProvider } from '@silta/platform';
import { directoryEntities } from './shared/directory/directory.entities';
import { RosterDirectory } from './shared/directory/roster-directory';
import { AssignProfessionalController } from './assign-professional/assign-professional.controller';
import { AssignProfessionalHandler } from './assign-professional/assign-professional.handler';
import { DeclareSchoolServiceController } from './declare-school-service/declare-school-service.controller';
import { DeclareSchoolServiceHandler } from './declare-school-service/declare-school-service.handler';
import { EndAssignmentController } from './end-assignment/end-assignment.controller';
import { EndAssignmentHandler } from './end-assignment/end-assignment.handler';
import { EnrollStudentController } from './enroll-student/enroll-student.controller';
import { EnrollStudentHandler } from './enroll-student/enroll-student.handler';
import { IngestRecordController } from './ingest-record/ingest-record.controller';
import { IngestRecordHandler } from './ingest-record/ingest-record.handler';
import { LinkGuardianController } from './link-guardian/link-guardian.controller';
import { LinkGuardianHandler } from './link-guardian/link-guardian.handler';
import { ListAssignmentsController } from './list-assignments/list-assignments.controller';
import { ListAssignmentsHandler } from './list-assignments/list-assignments.handler';
import { ListSchoolStudentsController } from './list-school-students/list-school-students.controller';
import { ListSchoolStudentsHandler } from './list-school-students/list-school-students.handler';
import { ListSchoolsController } from './list-schools/list-schools.controller';
import { ListSchoolsHandler } from './list-schools/list-schools.handler';
import { ReadRecordsController } from './read-records/read-records.controller';
import { ReadStudentRecordsHandler } from './read-records/read-student-records.handler';
import { ReadStandingController } from './read-standing/read-standing.controller';
import { ReadStandingHandler } from './read-standing/read-standing.handler';
import { RecordCapacityController } from './record-capacity/record-capacity.controller';
import { RecordCapacityHandler } from './record-capacity/record-capacity.handler';
import { RegisterSchoolController } from './register-school/register-school.controller';
import { RegisterSchoolHandler } from './register-school/register-school.handler';
import { toPublicMessage } from './relay/public-events';
import { SetEducationController } from './set-education/set-education.controller';
import { SetEducationHandler } from './set-education/set-education.handler';
import { SetWelfareAccessController } from './set-welfare-access/set-welfare-access.controller';
import { SetWelfareAccessHandler } from './set-welfare-access/set-welfare-access.handler';
import { CLOCK, systemClock } from './shared/clock';
import { RosterStore } from './shared/roster-store';
import { TransferStudentController } from './transfer-student/transfer-student.controller';
import { TransferStudentHandler } from './transfer-student/transfer-student.handler';
import { UnlinkGuardianController } from './unlink-guardian/unlink-guardian.controller';
import { UnlinkGuardianHandler } from './unlink-guardian/unlink-guardian.handler';

/**
 * The roster service: schools and the welfare areas that serve them, students and their form of
 * education, guardians, capacity, welfare access, assignments and the SIS's education records. One
 * folder per use case; each controller sends a command or query over the bus to its handler, which
 * runs a pure decider from domain/ against the event store.
 */
@Module({
  imports: [PlatformModule.forService({ service: 'roster', entities: directoryEntities })],
  controllers: [
    RegisterSchoolController,
    DeclareSchoolServiceController,
    EnrollStudentController,
    TransferStudentController,
    LinkGuardianController,
    UnlinkGuardianController,
    RecordCapacityController,
    SetWelfareAccessController,
    SetEducationController,
    AssignProfessionalController,
    EndAssignmentController,
    IngestRecordController,
    ReadRecordsController,
    ReadStandingController,
    ListSchoolsController,
    ListSchoolStudentsController,
    ListAssignmentsController,
  ],
  providers: [
    RegisterSchoolHandler,
    DeclareSchoolServiceHandler,
    EnrollStudentHandler,
    TransferStudentHandler,
    LinkGuardianHandler,
    UnlinkGuardianHandler,
    RecordCapacityHandler,
    SetWelfareAccessHandler,
    SetEducationHandler,
    AssignProfessionalHandler,
    EndAssignmentHandler,
    IngestRecordHandler,
    ReadStudentRecordsHandler,
    ReadStandingHandler,
    ListSchoolsHandler,
    ListSchoolStudentsHandler,
    ListAssignmentsHandler,
    RosterDirectory,
    RosterStore,
    { provide: CLOCK, useValue: systemClock },
    relayProvider({ topic: Topics.roster, translate: toPublicMessage }),
  ],
})
export class RosterModule {}
