import { metricNamed, runQuick } from '../../bench/lib/smoke';

// Smoke test: bench:decisions still runs end to end against the real stack. It asserts the
// result's shape and the audit check, never a speed: timing figures vary with the machine.
describe('bench:decisions (quick)', () => {
  it('drives every workload against the three apps and finds every answer in the audit log', async () => {
    const result = await runQuick('decisions');
    expect(result.name).toBe('decisions');
    expect(result.machine.cores).toBeGreaterThan(0);
    for (const workload of ['permitted', 'denied', 'mixed']) {
      const rate = metricNamed(result, `${workload}: audited decisions/s`);
      expect(rate.runs.length).toBeGreaterThan(0);
      expect(rate.baseline?.runs.length).toBe(rate.runs.length);
      expect(rate.target?.op).toBe('>=');
      expect(rate.runs.every((r) => r > 0)).toBe(true);
      expect(metricNamed(result, `${workload}: non-2xx responses`).runs.every((n) => n === 0)).toBe(true);
      expect(metricNamed(result, `${workload}: share of answers audited`).runs.every((share) => share === 1)).toBe(true);
      expect(metricNamed(result, `${workload}: p99 latency`).runs.length).toBe(rate.runs.length);
    }
    expect(metricNamed(result, 'mixed: audited decisions/s vs the durable-write floor').baseline?.runs.every((r) => r > 0)).toBe(true);
    // Issue 17's targets, reported met or missed beside their baselines.
    expect(metricNamed(result, 'mixed: audited decisions/s').target).toMatchObject({ op: '>=', value: 1000 });
    expect(metricNamed(result, 'mixed: p99 latency').target).toMatchObject({ op: '<=', value: 50 });
    expect(metricNamed(result, 'mixed / durable-write floor').target).toMatchObject({ op: '>=', value: 0.25 });
    for (const app of ['roster', 'consent', 'disclosure']) expect(metricNamed(result, `${app}: peak RSS under load`).median).toBeGreaterThan(0);
  }, 120_000);
});
