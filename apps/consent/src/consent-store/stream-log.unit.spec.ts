import { decodePositionToken } from '@silta/contracts';
import { SqlEventStore } from '@silta/event-store/sql';
import { capacityStreamId, type AssessCapacity, type Assessor } from '../domain';
import { CapacityLog } from './capacity-log';

// Consent's streams on the shared command path, on an in-memory SQLite event store (needs nothing
// running): professionals assessing one student at the same moment all land, none is turned away
// with a version conflict, and each answer names its own stored event.

const area = 'welfare-area:itu-uusimaa';
const curator: Assessor = { id: 'p-curator', role: 'curator', org: area };
const nurse: Assessor = { id: 'p-nurse', role: 'nurse', org: area };
const standing = (role: string) => ({
  schoolId: 'school-a',
  schoolServedBy: 'itu-uusimaa',
  callerAssignments: [{ assignmentId: `a-${role}`, role, welfareAreaId: 'itu-uusimaa', schoolId: 'school-a', validFrom: '2026-01-01', validUntil: '2026-12-31', ended: false }],
});

const assess = (actor: Assessor, field: AssessCapacity['field'], decidesForSelf: boolean): AssessCapacity => ({
  type: 'AssessCapacity',
  studentId: 's-aino',
  field,
  decidesForSelf,
  assessedOn: '2026-03-01',
  actor,
  standing: standing(actor.role) as AssessCapacity['standing'],
  now: new Date('2026-03-02T08:00:00.000Z'),
});

describe('consent stream log', () => {
  let store: SqlEventStore;

  beforeEach(async () => {
    store = await SqlEventStore.connect({ type: 'better-sqlite3', database: ':memory:' });
  });

  afterEach(() => store.close());

  it('lands assessments made of one student at the same moment, each answer naming its own event', async () => {
    const log = new CapacityLog(store);
    const commands = [assess(curator, 'social_welfare', true), assess(nurse, 'health_care', true), assess(curator, 'social_welfare', false), assess(nurse, 'health_care', false)];

    const answers = await Promise.all(commands.map((command) => log.execute(command, {})));

    const stored = await store.readStream(capacityStreamId('s-aino'));
    expect(stored).toHaveLength(4);
    expect(answers.map((answer) => decodePositionToken(answer.positionToken)?.eventId).sort()).toEqual(stored.map((event) => event.id).sort());
  });

  it("records the request's metadata on the stored event, as the publishable check passes it", async () => {
    await new CapacityLog(store).execute(assess(nurse, 'health_care', true), { correlationId: 'req-7', actor: 'p-nurse' });

    const [stored] = await store.readStream(capacityStreamId('s-aino'));
    expect(stored!.metadata).toEqual({ correlationId: 'req-7', actor: 'p-nurse', schemaVersion: 1 });
  });
});
