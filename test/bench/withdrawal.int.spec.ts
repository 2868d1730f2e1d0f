import { metricNamed, runQuick } from '../../bench/lib/smoke';

// Smoke test: bench:withdrawal still runs end to end. Shape and the token guarantee only, no timing.
describe('bench:withdrawal (quick)', () => {
  it('measures each withdrawal until the first denial, and every request with the token is denied at once', async () => {
    const result = await runQuick('withdrawal');
    expect(result.name).toBe('withdrawal');
    expect(metricNamed(result, 'without token: withdrawals measured').median).toBe(result.parameters.withdrawalsWithoutToken);
    const p99 = metricNamed(result, 'without token: withdraw → first denial, p99');
    expect(p99.runs.length).toBe(1);
    expect(p99.baseline?.runs.length).toBe(1);
    expect(p99.target).toMatchObject({ op: '<=', value: 20 });
    expect(metricNamed(result, 'with token: share denied at once').median).toBe(1);
  }, 120_000);
});
