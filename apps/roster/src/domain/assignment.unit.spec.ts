import { deciderSpecification } from '@silta/testing/decider-spec';
import { assignmentDecider, type AssignProfessional, type AssignmentEvent, type ProfessionalAssigned } from './assignment';
import { RosterError } from './errors';

const at = '2026-03-01T08:00:00.000Z';
const assign = (overrides: Partial<AssignProfessional> = {}): AssignProfessional => ({
  type: 'AssignProfessional',
  assignmentId: 'a-1',
  professionalId: 'p-1',
  role: 'curator',
  welfareAreaId: 'itu-uusimaa',
  school: { schoolId: 'school-a', municipalityId: 'vantaa', servedByWelfareAreaId: 'itu-uusimaa' },
  validFrom: '2026-01-01',
  validUntil: '2026-12-31',
  byWelfareAreaId: 'itu-uusimaa',
  assignedAt: at,
  ...overrides,
});
const assigned: ProfessionalAssigned = {
  type: 'ProfessionalAssigned',
  assignmentId: 'a-1',
  professionalId: 'p-1',
  role: 'curator',
  welfareAreaId: 'itu-uusimaa',
  schoolId: 'school-a',
  validFrom: '2026-01-01',
  validUntil: '2026-12-31',
  assignedAt: at,
};
const ended: AssignmentEvent = { type: 'AssignmentEnded', assignmentId: 'a-1', schoolId: 'school-a', welfareAreaId: 'itu-uusimaa', endedAt: at };
const end = (byWelfareAreaId = 'itu-uusimaa') => ({ type: 'EndAssignment', assignmentId: 'a-1', byWelfareAreaId, endedAt: at }) as const;
const assignment = deciderSpecification(assignmentDecider, RosterError);

describe('assignment decider', () => {
  it('assigns a professional of the caller’s welfare area to a registered school', () => {
    assignment().when(assign()).then([assigned]);
  });

  it('assigns open-ended when no last day is given', () => {
    const { validUntil: _omitted, ...openEnded } = assigned;
    assignment().when(assign({ validUntil: undefined })).then([openEnded]);
  });

  it('accepts a single-day assignment', () => {
    assignment().when(assign({ validUntil: '2026-01-01' })).then([{ ...assigned, validUntil: '2026-01-01' }]);
  });

  it('refuses a last day before the first day', () => {
    assignment().when(assign({ validUntil: '2025-12-31' })).thenThrows('invalid_validity_period');
  });

  it('refuses to assign for another welfare area', () => {
    assignment().when(assign({ byWelfareAreaId: 'vantaa-kerava' })).thenThrows('other_organisation');
  });

  it('refuses an unknown school', () => {
    assignment().when(assign({ school: undefined })).thenThrows('school_not_found');
  });

  it('refuses a school its municipality has not declared served by any welfare area', () => {
    assignment().when(assign({ school: { schoolId: 'school-a', municipalityId: 'vantaa' } })).thenThrows('school_not_served');
  });

  it('refuses a school its municipality declared served by another welfare area', () => {
    assignment().when(assign({ school: { schoolId: 'school-a', municipalityId: 'vantaa', servedByWelfareAreaId: 'vantaa-kerava' } })).thenThrows('school_not_served');
  });

  it('refuses to reuse an assignment id', () => {
    assignment(assigned).when(assign()).thenThrows('assignment_exists');
  });

  it('ends an active assignment, naming its school for the public key', () => {
    assignment(assigned).when(end()).then([ended]);
  });

  it('refuses to end an assignment twice', () => {
    assignment(assigned, ended).when(end()).thenThrows('assignment_already_ended');
  });

  it('refuses to end an unknown assignment', () => {
    assignment().when(end()).thenThrows('assignment_not_found');
  });

  it("refuses to end another welfare area's assignment", () => {
    assignment(assigned).when(end('vantaa-kerava')).thenThrows('other_organisation');
  });
});
