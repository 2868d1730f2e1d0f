import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POLICY_PATH } from '../../apps/disclosure/src/shared/policy.provider';
import { startApp, testSecrets } from './harness';

describe('disclosure at boot', () => {
  let folder: string;
  beforeAll(() => (folder = mkdtempSync(join(tmpdir(), 'silta-policy-'))));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('refuses to start with a malformed policy file, naming the bad field', async () => {
    const policyFile = join(folder, 'broken.policy.yaml');
    writeFileSync(policyFile, readFileSync(DEFAULT_POLICY_PATH, 'utf8').replace(/minJustificationLength: \d+/, 'minJustificationLength: many'));
    const started = startApp('disclosure', {
      ...testSecrets(),
      DATA_DIR: join(folder, 'data'),
      POLICY_FILE: policyFile,
    });
    await expect(started).rejects.toThrow(/exited with 1[\s\S]*minJustificationLength/);
  }, 60_000);
});
