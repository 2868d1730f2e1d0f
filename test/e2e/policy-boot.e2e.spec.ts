import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_POLICY_PATH } from '../../apps/disclosure/src/shared/policy.provider';
import { Client, startApp, testSecrets, type RunningApp } from './harness';

/**
 * Disclosure with a policy file it cannot load: it stays up so operators see why, answers not
 * ready naming the bad field, and refuses every decision (503 policy_unavailable, nothing written).
 */
describe('disclosure with a malformed policy file', () => {
  let folder: string;
  let app: RunningApp | undefined;
  const secrets = testSecrets();

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'silta-policy-'));
    const policyFile = join(folder, 'broken.policy.yaml');
    writeFileSync(policyFile, readFileSync(DEFAULT_POLICY_PATH, 'utf8').replace(/minJustificationLength: \d+/, 'minJustificationLength: many'));
    app = await startApp('disclosure', { ...secrets, DATA_DIR: join(folder, 'data'), POLICY_FILE: policyFile });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('is live but not ready, naming the bad field, and logs why', async () => {
    expect((await fetch(`${app!.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${app!.url}/health/ready`);
    expect(ready.status).toBe(503);
    const problem = (await ready.json()) as { detail: string; checks: Array<{ kind: string; ready: boolean; lastError?: string }> };
    const policy = problem.checks.find((check) => check.kind === 'policy');
    expect(policy).toMatchObject({ ready: false, lastError: expect.stringContaining('minJustificationLength') });
    expect(problem.detail).toContain('policy disclosure-policy: failed to load');
    expect(app!.output()).toMatch(/the policy could not be loaded[^\n]*minJustificationLength/);
  });

  it('refuses every decision and explanation with 503 policy_unavailable and writes nothing', async () => {
    const curator = await Client.as(secrets.JWT_SECRET, 'curator-policy-boot', 'curator', 'welfare-area:policy-boot');
    const events = () => (new Database(join(folder, 'data', 'disclosure', 'events.db'), { readonly: true }).prepare('SELECT count(*) AS n FROM silta_events').get() as { n: number }).n;
    const before = events();
    for (const path of ['/v1/disclosures', '/v1/disclosures/explain']) {
      const answer = await curator.post(`${app!.url}${path}`, { requestId: randomUUID(), studentId: 'student-policy-boot', categories: ['absences'], basis: 'consent', purpose: 'student welfare assessment' });
      expect({ path, status: answer.status, code: answer.body.code }).toEqual({ path, status: 503, code: 'policy_unavailable' });
    }
    expect(events()).toBe(before);
  });
});
