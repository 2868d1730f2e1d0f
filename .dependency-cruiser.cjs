// Layer rules for `npm run check:layers` (depcruise --config .dependency-cruiser.cjs apps libs).
// Paths are relative to the directory depcruise runs in; test/layers.unit.spec.ts also runs these
// rules from inside test/fixtures/layers to prove they fire.
const path = require('node:path');

// Frameworks and drivers: fine at the edges, never in the domain or in shared contracts.
const INFRASTRUCTURE = '(^|/)node_modules/(@nestjs/[^/]+|typeorm|kafkajs|@eventstore/db-client|pg|better-sqlite3)(/|$)';
// The same packages when they cannot be resolved (not installed), so a missing package does not
// slip past the rule.
const INFRASTRUCTURE_UNRESOLVED = '^(@nestjs/[^/]+|typeorm|kafkajs|@eventstore/db-client|pg|better-sqlite3)(/|$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-plain-typescript',
      severity: 'error',
      comment:
        'DESIGN.md §4 and STYLE.md: domain types are plain TypeScript (decide/evolve, typed events), and ' +
        'the public contracts and the event-store port are shared by every service. None of them may ' +
        'depend on Nest, TypeORM, Kafka, the EventStoreDB client or a database driver; those belong in ' +
        'adapters and app wiring.',
      from: { path: ['^libs/contracts/', '(^|/)domain/', '^libs/event-store/src/port/', '^libs/transparency/'] },
      to: { path: [INFRASTRUCTURE, INFRASTRUCTURE_UNRESOLVED] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make module load order matter and hide which layer depends on which.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      comment: 'Libraries are shared by every app, so they cannot depend on any one of them.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-do-not-import-each-other',
      severity: 'error',
      comment:
        "DESIGN.md §4: each app is deployable alone and services never share each other's domain; " +
        'they talk over HTTP and Kafka, and share only libs/ (contracts, thin infrastructure).',
      from: { path: '^apps/([^/]+)/', pathNot: '^apps/audit-cli/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'audit-cli-replays-only-the-decision-domain',
      severity: 'error',
      comment:
        "The auditors' CLI re-runs recorded decisions with disclosure's pure decision function, so it may " +
        "import disclosure's plain-TypeScript domain, and nothing else of any app.",
      from: { path: '^apps/audit-cli/' },
      to: { path: '^apps/', pathNot: ['^apps/audit-cli/', '^apps/disclosure/src/domain/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Count `import type` too: a type-only import of a framework still couples the domain to it.
    tsPreCompilationDeps: true,
    // Resolves the @silta/* path aliases (libs/*/src). Absolute so the rules also work when depcruise
    // runs from another directory (the fixture tree in test/layers.unit.spec.ts).
    tsConfig: { fileName: path.join(__dirname, 'tsconfig.json') },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
