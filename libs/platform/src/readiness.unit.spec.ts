import type { ConsumerStatus, EventRelay, OpenConsumerAlarm, ProjectionConsumer, RelayStatus } from '@silta/messaging';
import { ReadinessContributor, notReadyDetail, readinessOf } from './readiness';

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

  it('is not ready while a database does not answer, and names it', async () => {
    const report = await readinessOf([consumer('joined')], [relay('active')], {
      databases: { 'read-model': async () => undefined, 'event-store': () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) },
    });
    expect(report.ready).toBe(false);
    expect(notReadyDetail(report)).toBe('not ready: database event-store: unreachable (connect ECONNREFUSED 127.0.0.1:5432)');
    expect(report.checks.find((c) => c.name === 'read-model')).toMatchObject({ kind: 'database', ready: true });
  });

  it('keeps a consumer or relay that was connected ready for the grace period after it lost the broker, and never one that never connected', async () => {
    const lostAt = new Date('2026-01-01T00:00:00Z');
    const joinedBefore = (state: ConsumerStatus['state']) =>
      ({ status: { groupId: 'g', topics: ['t'], state, since: lostAt }, groupJoins: 1, openAlarms: async () => [] }) as unknown as ProjectionConsumer;
    const publishedBefore = { status: { name: 'r', topic: 't', state: 'retrying', since: lostAt }, lastPublishedAt: lostAt } as unknown as EventRelay;
    const at = (ms: number) => ({ brokerGraceMs: 30_000, now: new Date(lostAt.getTime() + ms) });
    expect((await readinessOf([joinedBefore('crashed')], [publishedBefore], at(29_000))).ready).toBe(true);
    expect((await readinessOf([joinedBefore('crashed')], [], at(31_000))).ready).toBe(false);
    expect((await readinessOf([], [publishedBefore], at(31_000))).ready).toBe(false);
    // Never joined (started while the broker was down): no grace.
    expect((await readinessOf([consumer('starting')], [relay('retrying')], at(1_000))).ready).toBe(false);
  });

  it("counts an app's own part (a ReadinessContributor such as disclosure's policy) and names it", async () => {
    class Policy extends ReadinessContributor {
      constructor(private readonly loaded: boolean) {
        super();
      }
      check() {
        return { kind: 'policy' as const, name: 'disclosure-policy', topics: [], ready: this.loaded, state: this.loaded ? 'loaded' : 'failed to load', since: since.toISOString(), ...(this.loaded ? {} : { lastError: 'minJustificationLength: expected a number' }) };
      }
    }
    expect((await readinessOf([consumer('joined')], [relay('active')], { contributors: [new Policy(true)] })).ready).toBe(true);
    const report = await readinessOf([consumer('joined')], [relay('active')], { contributors: [new Policy(false)] });
    expect(report.ready).toBe(false);
    expect(notReadyDetail(report)).toBe('not ready: policy disclosure-policy: failed to load (minJustificationLength: expected a number)');
  });
});
