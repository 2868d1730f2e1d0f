#!/usr/bin/env node
// The `silta-audit` command (package.json "bin", and what `npm run audit` runs): runs the TypeScript
// CLI through SWC, as the services run, so `npx silta-audit verify ...` and `npm run audit -- verify ...`
// are the same program.
//
// `verify` streams the log with a live heap of about 36 MB, but V8 lets the old space grow over each
// page's short-lived garbage: peak RSS ~310 MB over a million events without a cap, ~195 MB with
// --max-old-space-size=96 at the same speed (bench:verify). `replay` streams its rows the same way.
// So both run in a child node with that cap unless the caller set one (execArgv or NODE_OPTIONS).
// Other commands keep V8's default: export holds what it returns.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const STREAMING_HEAP_FLAG = '--max-old-space-size=96';
const STREAMING_COMMANDS = ['verify', 'replay'];
const capped = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((flag) => flag.startsWith('--max-old-space-size'));
if (STREAMING_COMMANDS.includes(process.argv[2]) && !capped) {
  const child = spawnSync(process.execPath, [...process.execArgv, STREAMING_HEAP_FLAG, __filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (child.error) throw child.error;
  process.exit(child.status ?? 2);
} else {
  process.env.SWC_NODE_PROJECT ||= join(__dirname, '..', '..', '..', 'tsconfig.json');
  require('@swc-node/register');
  require('../src/main.ts');
}
