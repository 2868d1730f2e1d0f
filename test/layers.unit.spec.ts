import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// dependency-cruiser 17 is ESM-only, which jest's CommonJS runtime cannot import without
// --experimental-vm-modules, so the test drives its CLI the way `npm run check:layers` does.
const root = join(__dirname, '..');
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');
const config = join(root, '.dependency-cruiser.cjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

function violationsIn(cwd: string): Violation[] {
  const run = spawnSync(depcruise, ['--config', config, '--output-type', 'json', 'apps', 'libs'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  if (!run.stdout) throw new Error(`depcruise printed nothing (exit ${run.status}): ${run.stderr}`);
  const result = JSON.parse(run.stdout) as { summary: { violations: Violation[] } };
  return result.summary.violations;
}

const brokenBy = (violations: Violation[], rule: string): string[] =>
  violations.filter((violation) => violation.rule.name === rule).map((violation) => violation.from);

describe('layer rules (.dependency-cruiser.cjs)', () => {
  it('hold for the apps and libs in this repository', () => {
    expect(violationsIn(root)).toEqual([]);
  }, 60_000);

  describe('on a fixture that breaks each rule once', () => {
    let violations: Violation[];

    beforeAll(() => {
      violations = violationsIn(join(__dirname, 'fixtures', 'layers'));
    }, 60_000);

    it('keep Kafka out of the shared contracts', () => {
      const bad = violations.find((v) => v.from === 'libs/contracts/src/bad.ts');
      expect(bad).toMatchObject({ rule: { name: 'domain-is-plain-typescript', severity: 'error' } });
      expect(bad?.to).toMatch(/node_modules\/kafkajs\//);
    });

    it('keep Nest out of any domain folder', () => {
      expect(brokenBy(violations, 'domain-is-plain-typescript')).toContain('apps/roster/src/domain/decider.ts');
    });

    it('keep apps out of libs, and each app out of the others', () => {
      expect(brokenBy(violations, 'libs-do-not-import-apps')).toEqual(['libs/contracts/src/uses-app.ts']);
      expect(brokenBy(violations, 'apps-do-not-import-each-other')).toEqual(['apps/roster/src/reads-consent.ts']);
    });

    it('keep each use-case folder out of the others, while shared folders stay open to them', () => {
      expect(brokenBy(violations, 'use-cases-do-not-import-each-other')).toEqual(['apps/consent/src/grant-consent/grant-consent.ts']);
      expect(violations.filter((v) => v.from === 'apps/consent/src/pause-consent/pause-consent.ts')).toEqual([]);
    });

    it('reject import cycles', () => {
      expect(brokenBy(violations, 'no-circular')).toEqual(
        expect.arrayContaining([expect.stringMatching(/^apps\/consent\/src\/cycle-[ab]\.ts$/)]),
      );
    });

    it('leave plain code alone', () => {
      const clean = ['libs/contracts/src/clean.ts', 'apps/consent/src/topic.ts'];
      expect(violations.filter((v) => clean.includes(v.from))).toEqual([]);
    });
  });
});
