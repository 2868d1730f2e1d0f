import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..', '..');

describe('the silta-audit bin', () => {
  it('is the package\'s "bin" and runs the CLI from any working directory', async () => {
    const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(bin['silta-audit']).toBe('apps/audit-cli/bin/silta-audit.js');
    const { stdout } = await promisify(execFile)(process.execPath, [join(root, bin['silta-audit']!), 'help'], { cwd: '/', env: { ...process.env, SWC_NODE_PROJECT: '' } });
    expect(stdout).toMatch(/^usage: silta-audit <command>/);
    expect(stdout).toContain('replay [--student <id>] [--professional <sub>]');
  });
});
