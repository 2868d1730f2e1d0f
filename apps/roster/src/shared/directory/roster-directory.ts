import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { decodeEvent, type EventStore, type RecordedEvent } from '@silta/event-store';
import { EVENT_STORE } from '@silta/platform';
import type { ProfessionalAssigned } from '../../domain/assignment';
import type { SchoolRegistered } from '../../domain/school';
import type { StudentEnrolled, StudentTransferred } from '../../domain/student';
import { DirectoryAssignmentEntity, DirectoryPositionEntity, DirectorySchoolEntity, DirectoryStudentEntity } from './directory.entities';

const POSITION = 'directory';
/** Events read and applied per transaction: a first read of a long log commits as it goes. */
const PAGE_SIZE = 1_000;

/**
 * Who owns what, kept from roster's own log for the lists (a municipality's schools, a school's
 * students, a welfare area's assignments). A list first reads the log from where the directory
 * stopped to its end, so it sees every write committed before it was asked, whoever made it
 * (another roster instance included), and the directory needs no process of its own. The tables
 * are an index: the details (names, guardians, ends) are read from the streams.
 *
 * Positions are committed in log order (the event store's append lock), so reading after the
 * stored position misses nothing. Readers in several processes take turns on the position row
 * (locked on PostgreSQL; SQLite has one process and queues its transactions), so no reader
 * applies an older event over a newer one.
 */
@Injectable()
export class RosterDirectory {
  /** This process's catch-ups, one after another. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  /** Applies what the log holds beyond the directory's position, to its end. */
  catchUp(): Promise<void> {
    const run = this.turn.then(() => this.readToEnd());
    this.turn = run.catch(() => undefined);
    return run;
  }

  private async readToEnd(): Promise<void> {
    for (;;) {
      const done = await this.dataSource.transaction(async (tx) => {
        const after = await this.lockedPosition(tx);
        const events = await this.store.readAll({ ...(after === undefined ? {} : { after }), maxCount: PAGE_SIZE });
        for (const event of events) await apply(tx, event);
        const last = events.at(-1);
        if (last) await tx.update(DirectoryPositionEntity, { name: POSITION }, { position: last.position.toString() });
        return events.length < PAGE_SIZE;
      });
      if (done) return;
    }
  }

  /** The stored position, with the row locked for this transaction where the database can lock a row. */
  private async lockedPosition(tx: EntityManager): Promise<bigint | undefined> {
    await tx.createQueryBuilder().insert().into(DirectoryPositionEntity).values({ name: POSITION, position: '' }).orIgnore().execute();
    const lock = this.dataSource.options.type === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {};
    const row = await tx.findOneOrFail(DirectoryPositionEntity, { where: { name: POSITION }, ...lock });
    return row.position === '' ? undefined : BigInt(row.position);
  }
}

/** Applies one event of roster's log to the directory; events that change no owner are skipped. */
async function apply(tx: EntityManager, event: RecordedEvent): Promise<void> {
  switch (event.type) {
    case 'SchoolRegistered': {
      const e = decodeEvent<SchoolRegistered>(event);
      await tx.upsert(DirectorySchoolEntity, { schoolId: e.schoolId, municipalityId: e.municipalityId }, ['schoolId']);
      return;
    }
    case 'StudentEnrolled': {
      const e = decodeEvent<StudentEnrolled>(event);
      await tx.upsert(DirectoryStudentEntity, { studentId: e.studentId, schoolId: e.schoolId }, ['studentId']);
      return;
    }
    case 'StudentTransferred': {
      const e = decodeEvent<StudentTransferred>(event);
      await tx.upsert(DirectoryStudentEntity, { studentId: e.studentId, schoolId: e.toSchoolId }, ['studentId']);
      return;
    }
    case 'ProfessionalAssigned': {
      const e = decodeEvent<ProfessionalAssigned>(event);
      await tx.upsert(DirectoryAssignmentEntity, { assignmentId: e.assignmentId, welfareAreaId: e.welfareAreaId, schoolId: e.schoolId }, ['assignmentId']);
      return;
    }
    default:
      return; // records, guardians, capacity, access, service and ends change no owner
  }
}
