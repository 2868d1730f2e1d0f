import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TcpProxy, eventually, testBrokers } from '@silta/testing';
import { Client, startApp, testSecrets, type RunningApp } from './harness';

/**
 * An app started while its broker is unreachable serves HTTP at once and says it is not ready;
 * once the broker is there its consumers join and the relay connects, without a restart. The
 * broker is the shared test broker behind a proxy the test cuts and restores.
 */
describe('an app started while the broker is down', () => {
  let folder: string;
  let proxy: TcpProxy;
  let app: RunningApp | undefined;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'silta-broker-down-'));
    proxy = await TcpProxy.to(testBrokers()).start();
  });

  afterAll(async () => {
    await app?.stop();
    await proxy.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('serves HTTP, answers /health/ready 503 naming what waits for Kafka, and becomes ready when the broker comes', async () => {
    proxy.cut();
    const secrets = testSecrets();
    // startApp resolves once /health answers, and fails if the app exits.
    app = await startApp('disclosure', {
      ...secrets,
      KAFKA_BROKERS: `127.0.0.1:${proxy.port}`,
      KAFKA_GROUP_SUFFIX: `-broker-down-${randomUUID().slice(0, 8)}`,
      DATA_DIR: join(folder, 'data'),
    });
    const running = app;
    const health = await fetch(`${running.url}/health`);
    expect(health.status).toBe(200);

    const notReady = await fetch(`${running.url}/health/ready`);
    expect(notReady.status).toBe(503);
    expect(notReady.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await notReady.json()) as { code: string; detail: string; checks: Array<{ kind: string; name: string; ready: boolean; state: string }> };
    expect(problem.code).toBe('not_ready');
    expect(problem.checks.filter((c) => c.kind === 'consumer')).toHaveLength(2);
    expect(problem.checks.filter((c) => c.kind === 'relay')).toHaveLength(1);
    expect(problem.checks.filter((c) => c.kind === 'consumer' || c.kind === 'relay').every((c) => !c.ready)).toBe(true);
    // Its databases answer and its policy loaded: only what needs Kafka waits.
    expect(problem.checks.filter((c) => c.kind === 'database' || c.kind === 'policy').map((c) => [c.name, c.ready])).toEqual([['disclosure-policy', true], ['read-model', true], ['event-store', true]]);

    // A decision needs no broker: it is answered (a deny, nobody is assigned) while Kafka is away.
    const curator = await Client.as(secrets.JWT_SECRET, 'curator-broker-down', 'curator', 'welfare-area:broker-down');
    const decision = await curator.post(`${running.url}/v1/disclosures`, {
      requestId: randomUUID(),
      studentId: 'student-broker-down',
      categories: ['identification'],
      basis: 'identification',
      purpose: 'first meeting',
    });
    expect(decision.status).toBe(200);
    expect(decision.body.outcome).toBe('deny');

    proxy.restore();
    let last: unknown;
    await eventually(
      async () => {
        const answer = await fetch(`${running.url}/health/ready`);
        last = await answer.json();
        return answer.status === 200;
      },
      60_000,
      () => `not ready after the broker came back: ${JSON.stringify(last)}`,
    );
    expect(last).toMatchObject({ status: 'ready', service: 'disclosure' });
  }, 150_000);
});
