import { given } from './given';
import { recordsOf, studentRecordsDecider, type EducationRecord, type IngestRecord, type RecordIngested } from './student-records';

const at = '2026-03-01T08:00:00.000Z';
const absence: EducationRecord = { recordId: 'r-1', category: 'absences', date: '2026-02-02', hours: 2, reason: 'illness' };
const grade: EducationRecord = { recordId: 'r-2', category: 'grades', date: '2026-01-15', subject: 'mathematics', grade: '8' };
const ingest = (record: EducationRecord, overrides: Partial<IngestRecord> = {}): IngestRecord => ({
  type: 'IngestRecord',
  studentId: 'st-1',
  record,
  ownerMunicipalityId: 'vantaa',
  byMunicipalityId: 'vantaa',
  ingestedAt: at,
  ...overrides,
});
const ingested = (record: EducationRecord): RecordIngested => ({ type: 'RecordIngested', studentId: 'st-1', record, ingestedAt: at });
const records = (...history: RecordIngested[]) => given(studentRecordsDecider, history);

describe('student records decider', () => {
  it('ingests a record of an enrolled student', () => {
    expect(records().when(ingest(absence))).toEqual([ingested(absence)]);
  });

  it('writes nothing when the same record arrives again', () => {
    expect(records(ingested(absence)).when(ingest(absence))).toEqual([]);
  });

  it('treats the same fields in another order as the same record', () => {
    const reordered = { reason: 'illness', hours: 2, date: '2026-02-02', category: 'absences', recordId: 'r-1' } as const;
    expect(records(ingested(absence)).when(ingest(reordered))).toEqual([]);
  });

  it('refuses other content under a record id already used', () => {
    expect(records(ingested(absence)).when(ingest({ ...absence, hours: 3 }))).toEqual({ rejected: 'record_conflict' });
  });

  it('refuses records of a student who is not enrolled', () => {
    expect(records().when(ingest(absence, { ownerMunicipalityId: undefined }))).toEqual({ rejected: 'student_not_found' });
  });

  it("refuses records of another municipality's student", () => {
    expect(records().when(ingest(absence, { byMunicipalityId: 'helsinki' }))).toEqual({ rejected: 'other_organisation' });
  });

  it('lists the records of one category in the order they were ingested', () => {
    const later = { ...absence, recordId: '10', date: '2026-02-09' };
    const earlier = { ...absence, recordId: '9' };
    const state = [earlier, grade, later].map(ingested).reduce(studentRecordsDecider.evolve, studentRecordsDecider.initialState);
    expect(recordsOf(state, 'absences')).toEqual([earlier, later]);
    expect(recordsOf(state, 'grades')).toEqual([grade]);
    expect(recordsOf(state, 'detentions')).toEqual([]);
  });
});
