import { metricNamed, runQuick } from '../../bench/lib/smoke';

// Smoke test: bench:scale-out still drains the topics with several consumer processes, and the
// broker's own group view agrees. No speed is asserted.
describe('bench:scale-out (quick)', () => {
  it('drains every message with each instance count: lag 0, members = instances, every event applied once', async () => {
    const result = await runQuick('scale-out');
    const events = result.parameters.events as number;
    const runs = result.parameters.results as Array<{ instances: number; broker: { members: number; lag: number; committed: number }; processedMarkers: number }>;
    expect(runs.map((r) => r.instances)).toEqual(result.parameters.instances);
    for (const run of runs) {
      expect(run.broker).toMatchObject({ members: run.instances, lag: 0, committed: events });
      expect(run.processedMarkers).toBe(events);
    }
    expect(metricNamed(result, 'view projection, 1 instance').median).toBeGreaterThan(0);
    expect(metricNamed(result, 'view projection, 2 instances').baseline!.name).toBe('1 instance');
  }, 60_000);
});
