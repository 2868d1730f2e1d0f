import { metricNamed, runQuick } from '../../bench/lib/smoke';

// Smoke test: bench:memory still samples every app idle and under load. No size is asserted.
describe('bench:memory (quick)', () => {
  it('reports each app\'s RSS idle and under load beside the bare Nest process', async () => {
    const result = await runQuick('memory');
    for (const app of ['roster', 'consent', 'disclosure']) {
      const idle = metricNamed(result, `${app}: RSS idle`);
      const load = metricNamed(result, `${app}: peak RSS under load`);
      expect(idle.median).toBeGreaterThan(0);
      expect(idle.baseline!.median).toBeGreaterThan(0);
      expect(load.runs.length).toBe(result.parameters.runs);
      expect(load.target).toMatchObject({ op: '<=', value: 120 });
    }
  }, 120_000);
});
