import { deciderSpecification } from '@silta/testing/decider-spec';
import { RosterError } from './errors';
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
const records = deciderSpecification(studentRecordsDecider, RosterError);

describe('student records decider', () => {
  it('ingests a record of an enrolled student', () => {
    records().when(ingest(absence)).then([ingested(absence)]);
  });

  it('writes nothing when the same record arrives again', () => {
    records(ingested(absence)).when(ingest(absence)).then([]);
  });

  it('treats the same fields in another order as the same record', () => {
    const reordered = { reason: 'illness', hours: 2, date: '2026-02-02', category: 'absences', recordId: 'r-1' } as const;
    records(ingested(absence)).when(ingest(reordered)).then([]);
  });

  it('refuses other content under a record id already used', () => {
    records(ingested(absence)).when(ingest({ ...absence, hours: 3 })).thenThrows('record_conflict');
  });

  it('refuses records of a student who is not enrolled', () => {
    records().when(ingest(absence, { ownerMunicipalityId: undefined })).thenThrows('student_not_found');
  });

  it("refuses records of another municipality's student", () => {
    records().when(ingest(absence, { byMunicipalityId: 'helsinki' })).thenThrows('other_organisation');
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
