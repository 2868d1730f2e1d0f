import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuild, startBuiltApp } from '../../bench/lib/stack';
import { testSecrets } from '../e2e/harness';

// What the Docker image and the benchmarks run: `npm run build`'s output, plain node, no
// TypeScript hook. A broken alias rewrite or a missing asset (the policy file) fails here.
describe('the compiled build', () => {
  it('starts disclosure from dist/ and answers /health', async () => {
    ensureBuild();
    const dataDir = mkdtempSync(join(tmpdir(), 'silta-dist-'));
    const { JWT_SECRET, INTERNAL_TOKEN_SECRET, AUDIT_SIGNING_KEY } = testSecrets();
    const app = await startBuiltApp('disclosure', { JWT_SECRET, INTERNAL_TOKEN_SECRET, AUDIT_SIGNING_KEY, DATA_DIR: dataDir, KAFKA_GROUP_SUFFIX: `-dist-${process.pid}` });
    try {
      const health = await fetch(`${app.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', service: 'disclosure' });
      expect(app.child.spawnargs.at(-1)).toMatch(/dist[/\\]apps[/\\]disclosure[/\\]src[/\\]main\.js$/);
    } finally {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
