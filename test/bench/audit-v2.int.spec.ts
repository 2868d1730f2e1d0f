import { metricNamed, runQuick } from '../../bench/lib/smoke';

// Smoke test: bench:audit-v2 still seeds v2 logs that silta-audit accepts: a student's exported
// bundle verifies offline as complete, and verify passes over the v2 and v1 logs beside their
// SHA-256 floors. No speed or size is asserted.
describe('bench:audit-v2 (quick)', () => {
  it("exports one student's complete bundle, verifies it offline, and verifies the v2 and v1 logs against their floors", async () => {
    const result = await runQuick('audit-v2');
    // The quick log has 2,000 events; every 100th is the heavy student's.
    expect(result.parameters.bundleVerdict).toBe('complete: every audit event about student student-long-history up to checkpoint 2000 (20 events)');
    expect(metricNamed(result, 'bundle: size').median).toBeGreaterThan(0);
    expect(metricNamed(result, 'bundle: verify-bundle').runs).toHaveLength(result.parameters.runs as number);
    for (const leaves of ['v2 leaves', 'v1 leaves (same run)']) {
      const verify = metricNamed(result, `verify throughput, ${leaves}`);
      expect(verify.runs.every((rate) => rate > 0)).toBe(true);
      expect(verify.baseline!.runs).toHaveLength(verify.runs.length);
    }
    // v2's target is the v1 ratio measured in the same run.
    expect(metricNamed(result, 'verify / floor, v2 leaves').target).toMatchObject({ op: '>=', value: metricNamed(result, 'verify / floor, v1 leaves (same run)').median });
  }, 300_000);
});
