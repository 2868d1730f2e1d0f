import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@silta/testing';
import { JUSTIFICATION, grantConsent, ok, requestDisclosure, startTwoOrgs, type TwoOrgs } from './fixtures-two-orgs';
import { freePort } from './harness';
import { metricNamesUsed } from '../observability/metric-names';

/** The signing interval the parties run with here: the checkpoint Prometheus sees must be younger. */
const CHECKPOINT_INTERVAL_MS = 5_000;

/**
 * The ops view of the seed's story: all four apps on the real broker, scraped by a real Prometheus
 * (Debian's `prometheus`), and what an operator would ask of it answered through its HTTP API.
 */
describe('operating Silta: the story read back through a real Prometheus', () => {
  let f: TwoOrgs;
  let prometheus: ChildProcess | undefined;
  let prometheusUrl: string;
  let dir: string;
  let prometheusOutput = '';
  /** Decisions the story made, by outcome, as the answers said. */
  const outcomes: Record<string, number> = {};

  beforeAll(async () => {
    f = await startTwoOrgs('observe', { AUDIT_CHECKPOINT_INTERVAL_MS: String(CHECKPOINT_INTERVAL_MS) });
    dir = mkdtempSync(join(tmpdir(), 'silta-prometheus-'));
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    const targets = Object.entries(f.silta.apps).map(([service, app]) => ({ service, target: new URL(app!.url).host }));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        ...targets.map(({ service, target }) => `  - job_name: ${service}\n    static_configs: [{ targets: ['${target}'] }]`),
        '',
      ].join('\n'),
    );
    prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    prometheus.on('error', (error) => (prometheusOutput += `cannot start prometheus (apt-get install -y prometheus): ${error.message}\n`));
    prometheus.stdout!.on('data', (chunk: Buffer) => (prometheusOutput += chunk.toString()));
    prometheus.stderr!.on('data', (chunk: Buffer) => (prometheusOutput += chunk.toString()));
    await eventually(async () => (await fetch(`${prometheusUrl}/-/ready`).catch(() => undefined))?.ok === true, 30_000, () => `prometheus did not become ready:\n${prometheusOutput.slice(-3000)}`);
  }, 300_000);

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await f?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  async function query(expression: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expression)}`);
    const body = (await response.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> }; error?: string };
    if (body.status !== 'success') throw new Error(`${expression}: ${body.error}`);
    return body.data.result;
  }

  function counted(answer: { body: { outcome?: string } }): void {
    const outcome = answer.body.outcome;
    if (outcome) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }

  it("counts the story's decisions by outcome, drains every consumer's lag and keeps the checkpoint younger than its interval", async () => {
    const { student, welfareArea } = f.ids;
    // A guardian's consent, the curator's release on it, a denial for what the consent does not cover, an emergency.
    const granted = await grantConsent(f, 'guardian.A1', student.A1, welfareArea.W1, ['absences'], ['curator']);
    const permitted = ok(await requestDisclosure(f, 'curator.W1', student.A1, { basis: 'consent', categories: ['absences'], consistentWith: granted.positionToken }), 'consented request');
    counted(permitted);
    expect(permitted.body.outcome).toBe('permit');
    counted(ok(await requestDisclosure(f, 'curator.W1', student.A1, { basis: 'consent', categories: ['grades'] }), 'uncovered request'));
    counted(ok(await requestDisclosure(f, 'nurse.W1', student.A1, { basis: 'emergency', categories: ['identification'], justification: JUSTIFICATION }), 'emergency request'));
    // The guardian withdraws; the next request on the consent is denied.
    const withdrawn = ok(await f.as['guardian.A1'].post(f.url('consent', `/v1/consents/${granted.consentId}/withdraw`), {}), 'withdraw');
    const afterWithdrawal = ok(
      await requestDisclosure(f, 'curator.W1', student.A1, { basis: 'consent', categories: ['absences'], consistentWith: (withdrawn.body as { positionToken?: string }).positionToken }),
      'request after withdrawal',
    );
    counted(afterWithdrawal);
    expect(afterWithdrawal.body.outcome).toBe('deny');
    // The curator acknowledges the release on the welfare area's receipts service.
    const { disclosureId, dataHash } = permitted.body as { disclosureId: string; dataHash: string };
    await eventually(
      async () => [200, 201].includes((await f.as['curator.W1'].post(f.url('receipts', `/v1/disclosures/${disclosureId}/receipt`), { receivedCategories: ['absences'], dataHash })).status),
      60_000,
      () => 'the receipt was never recorded',
    );

    let seen: unknown;
    await eventually(
      async () => {
        seen = Object.fromEntries((await query('sum by (outcome) (silta_decisions_total)')).map((r) => [r.metric.outcome!, Number(r.value[1])]));
        return JSON.stringify(sorted(seen as Record<string, number>)) === JSON.stringify(sorted(outcomes));
      },
      30_000,
      () => `Prometheus says ${JSON.stringify(seen)}, the story made ${JSON.stringify(outcomes)}`,
    );

    // Every consumer group of every app reports its lag, and all of it drains to 0.
    await eventually(
      async () => {
        const lag = await query('sum by (service, group) (silta_consumer_lag)');
        seen = lag;
        return lag.length >= 4 && lag.every((r) => Number(r.value[1]) === 0);
      },
      60_000,
      () => `consumer lag: ${JSON.stringify(seen)}`,
    );

    // Both logs are checkpointed on their interval: each checkpoint comes to cover the whole log,
    // and no log is ever left with leaves unsigned for longer than its interval (the alert's
    // condition: age above the interval while the log grew past the checkpoint).
    await eventually(
      async () => {
        const [covered, interval, overdue] = await Promise.all([
          query('silta_audit_checkpoint_size == silta_audit_tree_size'),
          query('silta_audit_checkpoint_interval_seconds'),
          query('(time() - silta_audit_checkpoint_timestamp_seconds > silta_audit_checkpoint_interval_seconds) and (silta_audit_tree_size > silta_audit_checkpoint_size)'),
        ]);
        seen = { covered, interval, overdue };
        return covered.length === 2 && overdue.length === 0 && interval.every((r) => Number(r.value[1]) === CHECKPOINT_INTERVAL_MS / 1000);
      },
      30_000,
      () => `checkpoints: ${JSON.stringify(seen)}`,
    );
    // A new audit event is under a checkpoint younger than the interval.
    const signedBefore = Number((await query('silta_audit_checkpoint_size{service="disclosure"}'))[0]?.value[1]);
    counted(ok(await requestDisclosure(f, 'curator.W1', student.A1, { basis: 'consent', categories: ['grades'] }), 'a later request'));
    await eventually(
      async () => {
        const [checkpoint, age] = await Promise.all([query('silta_audit_checkpoint_size{service="disclosure"}'), query('time() - silta_audit_checkpoint_timestamp_seconds{service="disclosure"}')]);
        seen = { checkpoint, age, signedBefore };
        return Number(checkpoint[0]?.value[1]) > signedBefore && Number(age[0]?.value[1]) < CHECKPOINT_INTERVAL_MS / 1000;
      },
      30_000,
      () => `the disclosure log's checkpoint after it grew: ${JSON.stringify(seen)}`,
    );
    // Each party witnessed the other's log.
    expect((await query('silta_witness_witnessed_size > 0')).map((r) => r.metric.service).sort()).toEqual(['disclosure', 'receipts']);
    expect((await query('sum(silta_witness_alarms)'))[0]?.value[1]).toBe('0');
  }, 300_000);

  it("never puts the story's people, their records or their tokens in a metric", async () => {
    const texts = await Promise.all(Object.values(f.silta.apps).map(async (app) => (await fetch(`${app!.url}/metrics`)).text()));
    const secretsOfTheStory = [
      ...Object.values(f.ids.student),
      ...Object.values(f.ids.guardian),
      ...Object.values(f.ids.school),
      ...Object.values(f.ids.professional.W1),
      ...Object.values(f.ids.professional.W2),
      'Oppilas',
      'Huoltaja',
      '@example.invalid',
      'eyJ', // any JWT
    ];
    for (const text of texts) {
      expect(text).toContain('silta_http_request_duration_seconds_bucket');
      for (const secret of secretsOfTheStory) expect(text).not.toContain(secret);
    }
  });

  it('serves every metric the alert rules and the dashboard use, from some app', async () => {
    const exposed = new Set<string>();
    for (const app of Object.values(f.silta.apps)) {
      for (const [, name] of (await (await fetch(`${app!.url}/metrics`)).text()).matchAll(/^# TYPE (\S+) /gm)) exposed.add(name!);
    }
    exposed.add('up'); // Prometheus's own, per target
    const used = metricNamesUsed();
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((name) => !exposed.has(name))).toEqual([]);
  });
});

function sorted(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
