import type { ConsumerStatus, EventRelay, OpenConsumerAlarm, ProjectionConsumer, RelayStatus } from '@silta/messaging';
import { notReadyDetail, readinessOf } from './readiness';

const since = new Date('2026-01-01T00:00:00Z');
const consumer = (state: ConsumerStatus['state'], alarms: OpenConsumerAlarm[] = [], lastError?: string) =>
  ({
    status: { groupId: 'disclosure-view', topics: ['silta.consent.v1'], state, since, lastError },
    openAlarms: async () => alarms,
  }) as unknown as ProjectionConsumer;
const relay = (state: RelayStatus['state'], lastError?: string) =>
  ({ status: { name: 'disclosure', topic: 'silta.disclosure.v1', state, since, lastError } }) as unknown as EventRelay;
const alarm: OpenConsumerAlarm = {
  topic: 'silta.consent.v1',
  partition: 0,
  offset: '41',
  messageKey: 'student-1',
  eventType: 'ConsentWithdrawn',
  reason: 'ConsentWithdrawn/v1 invalid: consentId: Too big',
  raisedAt: since,
};

describe('readiness', () => {
  it('is ready when every consumer joined without alarms and the relay publishes or stands by', async () => {
    expect((await readinessOf([consumer('joined')], [relay('active')])).ready).toBe(true);
    expect((await readinessOf([consumer('joined')], [relay('standby')])).ready).toBe(true);
  });

  it('is not ready while a consumer has not joined or the relay is retrying, and says why', async () => {
    const report = await readinessOf([consumer('crashed', [], 'Connection error: ECONNREFUSED')], [relay('retrying', 'broker down')]);
    expect(report.ready).toBe(false);
    expect(notReadyDetail(report)).toBe(
      'not ready: consumer disclosure-view: crashed (Connection error: ECONNREFUSED); relay disclosure: retrying (broker down)',
    );
  });

  it('is not ready while a dead letter that would have narrowed access has an open alarm, and lists it', async () => {
    const report = await readinessOf([consumer('joined', [alarm])], [relay('active')]);
    expect(report.ready).toBe(false);
    expect(report.checks[0]).toMatchObject({ kind: 'consumer', ready: false, state: 'joined', openAlarms: [alarm] });
    expect(notReadyDetail(report)).toMatch(/1 open alarm/);
  });

  it('is not ready when the alarms cannot be read', async () => {
    const broken = { ...consumer('joined'), status: consumer('joined').status, openAlarms: async () => Promise.reject(new Error('database down')) };
    const report = await readinessOf([broken as unknown as ProjectionConsumer], []);
    expect(report.checks[0]).toMatchObject({ ready: false, lastError: 'cannot read alarms: database down' });
  });
});
