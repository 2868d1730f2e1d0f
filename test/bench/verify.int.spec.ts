import { metricNamed, runQuick } from '../../bench/lib/smoke';

// Smoke test: bench:verify still seeds a signed audit log that silta-audit verifies in full and
// replays by period, beside the SHA-256 floor. No speed or size is asserted.
describe('bench:verify (quick)', () => {
  it('verifies the whole seeded log as valid, replays the period, and measures the hashing floor', async () => {
    const result = await runQuick('verify');
    const leaves = result.parameters.leaves as number;
    const checks = result.parameters.checks as Array<{ verifyExit: number; leaves: number; checkpoints: number; replayExit: number; replayRows: number }>;
    expect(checks).not.toHaveLength(0);
    for (const check of checks) {
      expect(check).toMatchObject({ verifyExit: 0, leaves, checkpoints: result.parameters.checkpoints, replayExit: 0, replayRows: result.parameters.replayPeriodEvents });
    }
    const verify = metricNamed(result, 'verify throughput');
    expect(verify.target).toMatchObject({ op: '>=', value: 150_000 });
    expect(verify.baseline!.median).toBeGreaterThan(0);
    expect(metricNamed(result, 'verify peak RSS').median).toBeGreaterThan(0);
    expect(metricNamed(result, 'replay of a period (time index)').median).toBeGreaterThan(0);
  }, 60_000);
});
