import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

// The layer rule for this library (STYLE.md: domain types stay plain): auditors' offline
// verifiers and the services share this code, so it may import only itself and node:crypto.
// Tests may also use fast-check, read files and make objects in another realm (node:vm). A static scan is enough: every import here is
// a literal string.
const ALLOWED_IN_LIBRARY = /^(\.{1,2}\/.*|node:crypto)$/;
const ALLOWED_IN_TESTS = /^(\.{1,2}\/.*|node:(crypto|fs|path|vm)|fast-check)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)];
  return specifiers.map((match) => match[1]!);
}

describe('@silta/transparency stays plain TypeScript', () => {
  const files = sourceFiles(__dirname);

  it('imports nothing but itself and node:crypto outside tests', () => {
    const offending = files
      .filter((file) => !file.endsWith('.spec.ts'))
      .flatMap((file) => importsOf(file).filter((s) => !ALLOWED_IN_LIBRARY.test(s)).map((s) => `${relative(__dirname, file)} → ${s}`));
    expect(files.filter((file) => !file.endsWith('.spec.ts')).length).toBeGreaterThan(5);
    expect(offending).toEqual([]);
  });

  it('lets its tests add only fast-check and node:fs/path/vm', () => {
    const offending = files
      .filter((file) => file.endsWith('.spec.ts'))
      .flatMap((file) => importsOf(file).filter((s) => !ALLOWED_IN_TESTS.test(s)).map((s) => `${relative(__dirname, file)} → ${s}`));
    expect(offending).toEqual([]);
  });
});
