import { metricNamed, runQuick } from '../../bench/lib/smoke';

// Smoke test: bench:relay still relays every stored event and measures the raw producer beside it.
// No speed is asserted.
describe('bench:relay (quick)', () => {
  it('relays all N events to the topic, checkpoints the last position, and compares with raw kafkajs', async () => {
    const result = await runQuick('relay');
    const events = result.parameters.events as number;
    const checks = result.parameters.checks as Array<{ side: string; onTopic: number; checkpoint?: string; lastPosition?: string }>;
    expect(checks.filter((c) => c.side === 'relay')).not.toHaveLength(0);
    for (const check of checks) {
      expect(check.onTopic).toBe(events);
      if (check.side === 'relay') expect(check.checkpoint).toBe(check.lastPosition);
    }
    const throughput = metricNamed(result, 'relay throughput');
    expect(throughput.median).toBeGreaterThan(0);
    expect(throughput.baseline!.median).toBeGreaterThan(0);
    expect(metricNamed(result, 'relay / raw kafkajs').target).toMatchObject({ op: '>=', value: 0.85 });
  }, 60_000);
});
