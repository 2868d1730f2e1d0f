import { ContractRegistry, Topics, rosterContracts } from '@silta/contracts';
import type { RecordedEvent } from '@silta/event-store';
import { toPublicMessage, type RosterEvent } from './public-events';

const at = '2026-03-01T08:00:00.000Z';
const contracts = new ContractRegistry(rosterContracts);

/** The event as the store hands it to the relay: payload without `type`. */
function stored({ type, ...data }: RosterEvent, position = 1n): RecordedEvent {
  return { id: `e-${position}`, streamId: 'any', revision: 0n, position, type, data, metadata: {}, recordedAt: new Date(at) };
}

const personal = ['Aino Oppilas', '2012-05-06', '8B', 'adult_upper_secondary', 'Compulsory', 'Ilona Huoltaja', 'ilona@example.invalid', '+358401234567', 'Koivukylän koulu'];

const published: Array<[RosterEvent, string]> = [
  [{ type: 'SchoolRegistered', schoolId: 'school-a', name: 'Koivukylän koulu', municipalityId: 'vantaa', registeredAt: at }, 'school-a'],
  [
    {
      type: 'StudentEnrolled',
      studentId: 'st-1',
      schoolId: 'school-a',
      municipalityId: 'vantaa',
      name: 'Aino Oppilas',
      birthDate: '2012-05-06',
      group: '8B',
      educationForm: 'adult_upper_secondary',
      inCompulsoryEducation: true,
      enrolledAt: at,
    },
    'st-1',
  ],
  [{ type: 'StudentTransferred', studentId: 'st-1', fromSchoolId: 'school-a', toSchoolId: 'school-b', transferredAt: at }, 'st-1'],
  [
    { type: 'GuardianLinked', studentId: 'st-1', guardianId: 'g-1', name: 'Ilona Huoltaja', contact: { email: 'ilona@example.invalid', phone: '+358401234567' }, linkedAt: at },
    'st-1',
  ],
  [{ type: 'GuardianUnlinked', studentId: 'st-1', guardianId: 'g-1', unlinkedAt: at }, 'st-1'],
  [{ type: 'StudentCapacityRecorded', studentId: 'st-1', decidesForSelf: true, recordedAt: at }, 'st-1'],
  [{ type: 'WelfareAccessChanged', studentId: 'st-1', active: true, changedAt: at }, 'st-1'],
  [
    {
      type: 'ProfessionalAssigned',
      assignmentId: 'a-1',
      professionalId: 'p-1',
      role: 'curator',
      welfareAreaId: 'itu-uusimaa',
      schoolId: 'school-a',
      validFrom: '2026-01-01',
      validUntil: '2026-12-31',
      assignedAt: at,
    },
    'school-a',
  ],
  [
    { type: 'ProfessionalAssigned', assignmentId: 'a-2', professionalId: 'p-2', role: 'nurse', welfareAreaId: 'itu-uusimaa', schoolId: 'school-b', validFrom: '2026-01-01', assignedAt: at },
    'school-b',
  ],
  [{ type: 'AssignmentEnded', assignmentId: 'a-1', schoolId: 'school-a', welfareAreaId: 'itu-uusimaa', endedAt: at }, 'school-a'],
  [{ type: 'SchoolServiceDeclared', schoolId: 'school-a', municipalityId: 'vantaa', welfareAreaId: 'itu-uusimaa', declaredAt: at }, 'school-a'],
];

describe('roster events on silta.roster.v1', () => {
  it.each(published)('publishes %s as a valid public contract, keyed by student id (assignments by school id)', (event, key) => {
    const message = toPublicMessage(stored(event));

    expect(message).toBeDefined();
    const validated = contracts.validate(message!.type, message!.schemaVersion, message!.payload);
    expect(validated).toMatchObject({ ok: true });
    expect(validated.ok && validated.contract.topic).toBe(Topics.roster);
    expect(message!.key).toBe(key);
  });

  it('publishes ids and relationships only: no name, birth date, group, education form, contact or school name', () => {
    const payloads = JSON.stringify(published.map(([event]) => toPublicMessage(stored(event))!.payload));
    for (const detail of personal) expect(payloads).not.toContain(detail);
  });

  it('never publishes an education record', () => {
    const record: RosterEvent = {
      type: 'RecordIngested',
      studentId: 'st-1',
      record: { recordId: 'r-1', category: 'absences', date: '2026-02-02', hours: 2, reason: 'illness' },
      ingestedAt: at,
    };
    expect(toPublicMessage(stored(record))).toBeUndefined();
  });

  it("never publishes a change of the student's education form", () => {
    const set: RosterEvent = { type: 'StudentEducationSet', studentId: 'st-1', educationForm: 'adult_upper_secondary', inCompulsoryEducation: false, setAt: at };
    expect(toPublicMessage(stored(set))).toBeUndefined();
  });

  it('has a public contract for every event it publishes, and publishes every roster contract', () => {
    const types = new Set(published.map(([event]) => toPublicMessage(stored(event))!.type));
    expect([...types].sort()).toEqual(rosterContracts.map((contract) => contract.type).sort());
  });
});
