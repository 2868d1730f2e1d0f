// Test tiers by file suffix (STYLE.md): *.unit.spec.ts need nothing; *.int.spec.ts need the real
// PostgreSQL and Kafka broker; *.e2e.spec.ts run the apps as processes.
const swc = ['@swc/jest', { swcrc: true }];
const moduleNameMapper = { '^@silta/([^/]+)(/(.*))?$': '<rootDir>/libs/$1/src/$3' };
const common = { testEnvironment: 'node', transform: { '^.+\\.ts$': swc }, moduleNameMapper, rootDir: __dirname };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test}/**/*.unit.spec.ts'] },
    {
      ...common,
      displayName: 'int',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int.spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.js',
      globalTeardown: '<rootDir>/test/global-teardown.js',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.js',
      globalTeardown: '<rootDir>/test/global-teardown.js',
    },
  ],
  // Applies to hooks too; integration hooks stop consumers and drop databases.
  testTimeout: 60_000,
};
