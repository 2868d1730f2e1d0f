#!/usr/bin/env node
// The `silta-audit` command (package.json "bin"): runs the TypeScript CLI through SWC, as the
// services run, so `npx silta-audit verify ...` and `npm run audit -- verify ...` are the same program.
const { join } = require('node:path');
process.env.SWC_NODE_PROJECT ||= join(__dirname, '..', '..', '..', 'tsconfig.json');
require('@swc-node/register');
require('../src/main.ts');
