#!/usr/bin/env node
// The `silta-audit` command (package.json "bin", and what `npm run audit` runs): runs the TypeScript
// CLI through SWC, as the services run, so `npx silta-audit verify ...` and `npm run audit -- verify ...`
// are the same program.
//
// `verify` and `replay` stream the log: they run in a child node with a heap cap (heap-flags.js)
// unless the caller set one (execArgv or NODE_OPTIONS). Other commands keep V8's default: export
// holds what it returns.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { STREAMING_HEAP_FLAGS } = require('./heap-flags');

const capped = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((flag) => flag.startsWith('--max-old-space-size'));
const heapFlag = Object.hasOwn(STREAMING_HEAP_FLAGS, process.argv[2]) ? STREAMING_HEAP_FLAGS[process.argv[2]] : undefined;
if (heapFlag && !capped) {
  const child = spawnSync(process.execPath, [...process.execArgv, heapFlag, __filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (child.error) throw child.error;
  process.exit(child.status ?? 2);
} else {
  process.env.SWC_NODE_PROJECT ||= join(__dirname, '..', '..', '..', 'tsconfig.json');
  require('@swc-node/register');
  require('../src/main.ts');
}
