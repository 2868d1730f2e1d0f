// silta-audit as the compiled build runs it (`npm run build`, the Docker image): verify's memory
// target is about that program, not the TypeScript sources run through SWC, whose compiler alone
// takes ~120 MB of a process (and as much again in every worker thread). Compiles only the CLI's
// own module graph (tsc, then tsc-alias for the @silta/* paths, as `npm run build` does) into a
// directory of the repository's .cache, removed by the returned dispose.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './child';

export interface CompiledCli {
  /** The compiled main.js, relative to the repository (what runTs takes). */
  readonly entry: string;
  dispose(): void;
}

/** The entry points the build starts from: the CLI, and the worker verify starts by file. */
const ENTRIES = ['apps/audit-cli/src/main.ts', 'apps/audit-cli/src/verification/leaf-worker.ts'];

export function compileCli(): CompiledCli {
  const dir = join(repoRoot, '.cache', `bench-cli-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'tsconfig.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: relative(dir, join(repoRoot, 'tsconfig.build.json')),
      compilerOptions: { outDir: 'out', rootDir: relative(dir, repoRoot), sourceMap: false },
      include: [],
      files: ENTRIES.map((entry) => relative(dir, join(repoRoot, entry))),
    }),
  );
  const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);
  try {
    execFileSync(bin('tsc'), ['-p', config], { cwd: repoRoot, stdio: 'pipe' });
  } catch (error) {
    // tsc still writes JavaScript when another file of the checkout has a type error: say so, go on.
    process.stderr.write(`tsc reported errors while compiling the CLI (it still emits):\n${String((error as { stdout?: Buffer }).stdout ?? error).slice(0, 2000)}\n`);
  }
  execFileSync(bin('tsc-alias'), ['-p', config], { cwd: repoRoot, stdio: 'pipe' });
  const entry = relative(repoRoot, join(dir, 'out', 'apps', 'audit-cli', 'src', 'main.js'));
  if (!existsSync(join(repoRoot, entry))) throw new Error(`compiling the CLI wrote no ${entry}`);
  return { entry, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
