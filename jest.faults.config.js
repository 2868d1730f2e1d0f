// The fault-injection suite (*.fault.spec.ts, issue 16): each test breaks a real part of Silta
// under load (a broker node, PostgreSQL, an app, the welfare area's network, a consumer) and then
// checks what clients were told against what the stores and topics hold. It runs on a three-node
// KRaft cluster of its own (KAFKA_NODES=3 on KAFKA_PORT 9292.., started by the global setup and
// stopped after, unless it was running already), one file at a time: the faults are machine-wide.
//   npm run test:faults
const base = require('./jest.config.js');
const e2e = base.projects.find((project) => project.displayName === 'e2e');

/** @type {import('jest').Config} */
module.exports = {
  projects: [{ ...e2e, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.fault.spec.ts'] }],
  testTimeout: 60_000,
  maxWorkers: 1,
};
