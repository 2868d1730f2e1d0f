import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

// nest-cli.json describes the monorepo as Nest's CLI reads it: every app and lib, and the one build
// that compiles them all. `npm run build` runs that build without the CLI (its current major wants
// TypeScript 6; the repo is on 5.9), so this test is what keeps the description true.
const root = join(__dirname, '..');

interface Asset {
  include: string;
  outDir: string;
}
interface CompilerOptions {
  tsConfigPath?: string;
  assets?: Asset[];
}
interface Project {
  type: 'application' | 'library';
  root: string;
  sourceRoot: string;
  entryFile: string;
  compilerOptions?: CompilerOptions;
}
interface NestCli {
  compilerOptions: CompilerOptions;
  projects: Record<string, Project>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(root, path), 'utf8')) as T;
const folders = (parent: string) =>
  readdirSync(join(root, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

/** What in nest-cli.json is not so in the tree or in `npm run build`; empty when it is all true. */
function untruths(config: NestCli, buildScript: string): string[] {
  const found: string[] = [];
  const expected = [
    ...folders('apps').map((name) => ({ name, type: 'application', root: `apps/${name}` })),
    ...folders('libs').map((name) => ({ name, type: 'library', root: `libs/${name}` })),
  ];
  for (const { name, type, root: projectRoot } of expected) {
    const project = config.projects[name];
    if (!project) found.push(`${projectRoot} is not a project`);
    else if (project.type !== type || project.root !== projectRoot) found.push(`${name} is not the ${type} at ${projectRoot}`);
  }
  for (const [name, project] of Object.entries(config.projects)) {
    const entry = `${project.sourceRoot}/${project.entryFile}.ts`;
    if (!existsSync(join(root, entry))) {
      found.push(`${name}'s entry ${entry} does not exist`);
      continue;
    }
    // Nest builds applications; a library is compiled into the apps that import it.
    if (project.type !== 'application') continue;
    const tsConfigPath = project.compilerOptions?.tsConfigPath ?? config.compilerOptions.tsConfigPath;
    if (!tsConfigPath || !existsSync(join(root, tsConfigPath))) found.push(`${name}'s tsconfig ${tsConfigPath} does not exist`);
    else if (!buildScript.includes(`tsc -p ${tsConfigPath}`)) found.push(`npm run build does not compile ${name}'s ${tsConfigPath}`);
    else if (!compiles(tsConfigPath, entry)) found.push(`${tsConfigPath} does not compile ${entry}`);
    for (const asset of project.compilerOptions?.assets ?? []) {
      // Nest copies what include matches under sourceRoot into outDir, keeping the path below the
      // include's own folder; the build copies that folder whole.
      const from = relative(root, join(root, project.sourceRoot, asset.include.replace(/\/\*\*.*$/, '')));
      if (!existsSync(join(root, from))) found.push(`${name}'s asset folder ${from} does not exist`);
      if (!buildScript.includes(`cpSync('${from}','${asset.outDir}'`)) found.push(`npm run build does not copy ${from} to ${asset.outDir}`);
    }
  }
  const declared = Object.values(config.projects).flatMap((project) =>
    (project.compilerOptions?.assets ?? []).map((asset) => asset.outDir),
  );
  for (const [, from, to] of buildScript.matchAll(/cpSync\('([^']+)','([^']+)'/g)) {
    if (!declared.includes(to!)) found.push(`npm run build copies ${from} to ${to}, which no project declares`);
  }
  return found;
}

/** Whether TypeScript, reading the tsconfig as tsc -p does, compiles the file. */
function compiles(tsConfigPath: string, file: string): boolean {
  const { config } = ts.readConfigFile(join(root, tsConfigPath), ts.sys.readFile);
  const { fileNames } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  return fileNames.includes(join(root, file));
}

describe('nest-cli.json', () => {
  const config = readJson<NestCli>('nest-cli.json');
  const buildScript = readJson<{ scripts: { build: string } }>('package.json').scripts.build;

  it('lists every app and lib, each with an entry file and the tsconfig and assets npm run build uses', () => {
    expect(untruths(config, buildScript)).toEqual([]);
  });

  it('names an app or lib it leaves out', () => {
    const { receipts: _receipts, transparency: _transparency, ...projects } = config.projects;
    expect(untruths({ ...config, projects }, buildScript)).toEqual(['apps/receipts is not a project', 'libs/transparency is not a project']);
  });

  it('names a missing entry file, a missing tsconfig, and assets the build and the config do not agree on', () => {
    const roster = { ...config.projects['roster']!, entryFile: 'server' };
    const consent = { ...config.projects['consent']!, compilerOptions: { tsConfigPath: 'apps/consent/tsconfig.app.json' } };
    const disclosure = { ...config.projects['disclosure']!, compilerOptions: { assets: [{ include: '../templates/**/*', outDir: 'dist/apps/disclosure/templates' }] } };
    expect(untruths({ ...config, projects: { ...config.projects, roster, consent, disclosure } }, buildScript)).toEqual([
      "consent's tsconfig apps/consent/tsconfig.app.json does not exist",
      "disclosure's asset folder apps/disclosure/templates does not exist",
      'npm run build does not copy apps/disclosure/templates to dist/apps/disclosure/templates',
      "roster's entry apps/roster/src/server.ts does not exist",
      'npm run build copies apps/disclosure/policy to dist/apps/disclosure/policy, which no project declares',
    ]);
  });
});
