// Benchmark 2: withdrawal propagation (npm run bench:withdrawal).
// A guardian withdraws a consent through consent's API; the withdrawal travels consent's event
// store -> relay -> Kafka -> disclosure's view. Without a position token, a curator polls
// POST /v1/disclosures back to back until the answer is a denial: we record the time from the
// withdraw call returning to that first denial. With the withdrawal's token (consistentWith), the
// very next request must already be denied. Baseline: the poll loop's own request round trip.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ensureBroker, isQuick, sized } from './lib/infra';
import { machineInfo, metric, writeResult } from './lib/result';
import { grantConsent, inParallel, seed, startStack, until, type Seeded, type Stack } from './lib/stack';
import { Client } from '../test/e2e/harness';

/** Issue 17: withdrawal to first denial without a token, p99 (was 1,000 ms). */
const TARGET_P99_MS = 20;

/** The p-th percentile (0..100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function main(): Promise<void> {
  const brokers = await ensureBroker();
  const parameters = {
    withdrawalsWithoutToken: Number(process.env.BENCH_WITHDRAWALS ?? sized(200, 5)),
    withdrawalsWithToken: sized(100, 5),
    pollTimeoutMs: 10_000,
    poll: 'back to back, one request in flight, a fresh requestId each (each poll is itself an audited decision)',
    request: 'basis consent, category absences, by the curator the consent names',
    brokers,
  };
  const startedAt = new Date().toISOString();
  const log = (line: string) => console.log(`[withdrawal] ${line}`);
  const students = parameters.withdrawalsWithoutToken + parameters.withdrawalsWithToken;

  log('starting roster, consent and disclosure');
  const stack = await startStack('withdrawal');
  try {
    log(`seeding ${students} students with a guardian each, and a consent each`);
    const seeded = await seed(stack, { students, guardians: true });
    const consents: Array<{ consentId: string; positionToken: string }> = new Array(students);
    await inParallel(seeded.students, 8, async (_, i) => {
      consents[i] = await grantConsent(stack, seeded, i);
    });
    await until(
      async () => {
        const [row] = await stack.query<{ n: string }>('disclosure', `SELECT count(*) AS n FROM dv_consents WHERE student_id = ANY($1) AND status = 'active'`, [seeded.students]);
        return Number(row!.n) === students;
      },
      120_000,
      () => 'disclosure\'s view never saw every consent',
    );

    const request = (i: number, consistentWith?: string) => ({
      requestId: randomUUID(),
      studentId: seeded.students[i],
      categories: ['absences'],
      basis: 'consent',
      purpose: 'student welfare assessment',
      ...(consistentWith ? { consistentWith } : {}),
    });
    const curator = seeded.clients.curator;
    const disclose = async (body: object): Promise<{ outcome: string; ms: number }> => {
      const started = performance.now();
      const answer = await curator.post(stack.url('disclosure', '/v1/disclosures'), body);
      const ms = performance.now() - started;
      if (answer.status !== 200) throw new Error(`disclosure answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return { outcome: answer.body.outcome as string, ms };
    };

    log(`${parameters.withdrawalsWithoutToken} withdrawals, polled without a token`);
    const propagation: number[] = [];
    const roundTrips: number[] = [];
    let polls = 0;
    for (let i = 0; i < parameters.withdrawalsWithoutToken; i++) {
      const before = await disclose(request(i));
      if (before.outcome !== 'permit') throw new Error(`student ${i}: expected a permit before the withdrawal, got ${before.outcome}`);
      roundTrips.push(before.ms);
      await withdraw(stack, seeded, i, consents[i]!.consentId);
      const returned = performance.now();
      for (;;) {
        const answer = await disclose(request(i));
        polls++;
        if (answer.outcome === 'deny') {
          propagation.push(performance.now() - returned);
          break;
        }
        roundTrips.push(answer.ms);
        if (performance.now() - returned > parameters.pollTimeoutMs) throw new Error(`student ${i}: still permitted ${parameters.pollTimeoutMs} ms after the withdrawal`);
      }
      if ((i + 1) % 50 === 0) log(`  ${i + 1} done, p50 so far ${percentile(propagation, 50).toFixed(0)} ms`);
    }

    log(`${parameters.withdrawalsWithToken} withdrawals, next request carrying the withdrawal's token`);
    let deniedAtOnce = 0;
    const tokenLatency: number[] = [];
    for (let k = 0; k < parameters.withdrawalsWithToken; k++) {
      const i = parameters.withdrawalsWithoutToken + k;
      const token = await withdraw(stack, seeded, i, consents[i]!.consentId);
      const answer = await disclose(request(i, token));
      tokenLatency.push(answer.ms);
      if (answer.outcome === 'deny') deniedAtOnce++;
    }

    const p = (values: number[], q: number) => [percentile(values, q)];
    const rt = (q: number) => ({ name: 'one disclosure request round trip (the poll loop, before the denial)', runs: p(roundTrips, q) });
    const metrics = [
      metric('without token: withdraw → first denial, p50', 'ms', p(propagation, 50), { baseline: rt(50) }),
      metric('without token: withdraw → first denial, p90', 'ms', p(propagation, 90), { baseline: rt(90) }),
      metric('without token: withdraw → first denial, p99', 'ms', p(propagation, 99), { baseline: rt(99), target: { op: '<=', value: TARGET_P99_MS } }),
      metric('without token: withdraw → first denial, max', 'ms', [Math.max(...propagation)]),
      metric('without token: withdrawals measured', 'count', [propagation.length], { target: { op: '>=', value: isQuick() ? 1 : 200 } }),
      metric('with token: share denied at once', 'share', [deniedAtOnce / parameters.withdrawalsWithToken], { target: { op: '>=', value: 1 } }),
      metric('with token: request latency p50 (includes waiting for the view)', 'ms', p(tokenLatency, 50), { baseline: rt(50) }),
      metric('with token: request latency p99', 'ms', p(tokenLatency, 99), { baseline: rt(99) }),
    ];
    const notes = [
      `One run of ${propagation.length} withdrawals, one at a time; percentiles are over all of them (nearest rank), so p99 is the ${Math.ceil(0.99 * propagation.length)}th of ${propagation.length} sorted values. ${polls} polls in all.`,
      'The clock starts when the withdraw call has returned (the withdrawal is committed in consent\'s event store) and stops when the first denial arrives; a poll answered during propagation is a permit, which is the consistency model\'s documented window (README, Consistency).',
      'The path: consent\'s relay is woken when the withdrawal commits (in-process within consent; by PostgreSQL LISTEN/NOTIFY from another process or store instance; a poll every 250 ms only as the fallback), publishes to Kafka (acks=all), and disclosure\'s consumer applies the event to its view in one transaction; the ratio to one request\'s round trip shows how much of the delay is propagation rather than the request.',
      'Where the time goes (per-hop timestamps in a development run on 2026-12-02, 100 withdrawals, apps from source, load average 11-14 on the 2 cores, so indicative only): the relay had read the withdrawal p50 7.6 ms before the withdraw call returned (it is woken at commit, not by its poll); Kafka acknowledged it p50 3.5 ms later; disclosure\'s consumer had it p50 1.5 ms after that; its apply transaction took p50 15 ms (p90 39 ms); the view was committed p50 12 ms after the withdraw call returned. The first denial came p50 37 ms after that: the poll in flight when the view changed had already read the old view, and the next poll\'s own round trip (p50 24 ms in that run) follows. So p99 <= 20 ms needs the decision round trip itself well under 10 ms; propagation is the smaller part.',
      `With the token: ${deniedAtOnce} of ${parameters.withdrawalsWithToken} requests sent straight after the withdrawal, carrying its positionToken as consistentWith, were denied.`,
      ...(isQuick() ? ['BENCH_QUICK=1: a smoke run, sizes shrunk; the figures mean nothing.'] : []),
    ];
    const file = writeResult({ name: 'withdrawal', title: 'Withdrawal propagation', command: 'npm run bench:withdrawal', startedAt, machine: machineInfo(), parameters, metrics, notes });
    log(`wrote ${file}`);
    if (deniedAtOnce !== parameters.withdrawalsWithToken) throw new Error(`only ${deniedAtOnce} of ${parameters.withdrawalsWithToken} requests with the withdrawal's token were denied`);
  } finally {
    await stack.stop();
  }
}

/** The guardian withdraws; returns the withdrawal's position token. */
async function withdraw(stack: Stack, seeded: Seeded, i: number, consentId: string): Promise<string> {
  const guardian: Client = await seeded.clients.guardian(i);
  const answer = await guardian.post(stack.url('consent', `/v1/consents/${consentId}/withdraw`), { reason: 'benchmark' });
  if (answer.status !== 200 && answer.status !== 201) throw new Error(`withdraw answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body.positionToken as string;
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`[withdrawal] FAILED: ${error.stack ?? error.message}`);
    process.exit(1);
  });
}
