import type { Decider } from '@silta/event-store';
import { RosterError, unreachable } from './errors';

/** Categories of education records the SIS ingests (identification and guardian contacts are not records). */
export const RECORD_CATEGORIES = ['absences', 'lesson_markings', 'grades', 'detentions', 'learning_progress', 'support_needs'] as const;
export type RecordCategory = (typeof RECORD_CATEGORIES)[number];

export const SUPPORT_LEVELS = ['general', 'intensified', 'special'] as const;
export type SupportLevel = (typeof SUPPORT_LEVELS)[number];

interface RecordBase {
  /** The SIS's id for the record; ingesting the same id again changes nothing. */
  readonly recordId: string;
  /** The day the record is about, YYYY-MM-DD. */
  readonly date: string;
}

/** One education record from the SIS, shaped by its category. */
export type EducationRecord =
  | (RecordBase & { readonly category: 'absences'; readonly hours: number; readonly reason?: string })
  | (RecordBase & { readonly category: 'lesson_markings'; readonly subject: string; readonly marking: string })
  | (RecordBase & { readonly category: 'grades'; readonly subject: string; readonly grade: string })
  | (RecordBase & { readonly category: 'detentions'; readonly reason: string })
  | (RecordBase & { readonly category: 'learning_progress'; readonly subject: string; readonly note: string })
  | (RecordBase & { readonly category: 'support_needs'; readonly level: SupportLevel; readonly note: string });

/** A record was ingested for the student (stream `student_records-<studentId>`; never published). */
export interface RecordIngested {
  readonly type: 'RecordIngested';
  readonly studentId: string;
  readonly record: EducationRecord;
  readonly ingestedAt: string;
}

export type StudentRecordsEvent = RecordIngested;

/** Ingest one record for a student of the caller's municipality. */
export interface IngestRecord {
  readonly type: 'IngestRecord';
  readonly studentId: string;
  readonly record: EducationRecord;
  /** The municipality that owns the student, or undefined if the student is not enrolled. */
  readonly ownerMunicipalityId: string | undefined;
  readonly byMunicipalityId: string;
  readonly ingestedAt: string;
}

export type StudentRecordsCommand = IngestRecord;

/**
 * The student's records as an immutable list, newest first. A list (rather than a map copied on
 * every event) keeps folding a stream of thousands of records linear.
 */
export interface StudentRecordsState {
  readonly newest: RecordList | undefined;
}

interface RecordList {
  readonly record: EducationRecord;
  readonly earlier: RecordList | undefined;
}

/** The records stream of one student. */
export const studentRecordsDecider: Decider<StudentRecordsCommand, StudentRecordsEvent, StudentRecordsState> = {
  initialState: { newest: undefined },

  decide(command, state) {
    switch (command.type) {
      case 'IngestRecord': {
        if (command.ownerMunicipalityId === undefined) throw new RosterError('student_not_found', `student ${command.studentId} is not enrolled`);
        if (command.ownerMunicipalityId !== command.byMunicipalityId) {
          throw new RosterError('other_organisation', `student ${command.studentId} belongs to another municipality`);
        }
        const existing = findRecord(state, command.record.recordId);
        // The SIS retries and re-sends: the same record again is a no-op; a different one under the
        // same id is a mistake we refuse rather than silently overwrite.
        if (existing && sameRecord(existing, command.record)) return [];
        if (existing) throw new RosterError('record_conflict', `record ${command.record.recordId} was already ingested with other content`);
        return [{ type: 'RecordIngested', studentId: command.studentId, record: command.record, ingestedAt: command.ingestedAt }];
      }
      default:
        return unreachable(command.type);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'RecordIngested':
        return { newest: { record: event.record, earlier: state.newest } };
      default:
        return unreachable(event.type);
    }
  },
};

/** The student's records of the given category, in the order they were ingested. */
export function recordsOf(state: StudentRecordsState, category: RecordCategory): EducationRecord[] {
  const found: EducationRecord[] = [];
  for (let entry = state.newest; entry; entry = entry.earlier) if (entry.record.category === category) found.push(entry.record);
  return found.reverse();
}

function findRecord(state: StudentRecordsState, recordId: string): EducationRecord | undefined {
  for (let entry = state.newest; entry; entry = entry.earlier) if (entry.record.recordId === recordId) return entry.record;
  return undefined;
}

function sameRecord(a: EducationRecord, b: EducationRecord): boolean {
  const fields = (r: EducationRecord) => Object.entries(r).sort(([x], [y]) => x.localeCompare(y));
  return JSON.stringify(fields(a)) === JSON.stringify(fields(b));
}
