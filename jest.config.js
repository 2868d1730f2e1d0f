// Test tiers by file suffix (STYLE.md): *.unit.spec.ts need nothing; *.int.spec.ts need the real
// PostgreSQL and Kafka broker; *.e2e.spec.ts run the apps as processes.
const swc = ['@swc/jest', { swcrc: true }];
const moduleNameMapper = { '^@silta/([^/]+)(/(.*))?$': '<rootDir>/libs/$1/src/$3' };
// jose ships ESM only; Jest's module system needs it compiled to CommonJS.
const esmToCjs = ['@swc/jest', { swcrc: false, jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc, '^.+/node_modules/jose/.+\\.js$': esmToCjs },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper,
  rootDir: __dirname,
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test}/**/*.unit.spec.ts'] },
    {
      ...common,
      displayName: 'int',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int.spec.ts'],
      testEnvironment: '<rootDir>/test/quiet-test-environment.js',
      globalSetup: '<rootDir>/test/global-setup.js',
      globalTeardown: '<rootDir>/test/global-teardown.js',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'],
      testEnvironment: '<rootDir>/test/quiet-test-environment.js',
      globalSetup: '<rootDir>/test/global-setup.js',
      globalTeardown: '<rootDir>/test/global-teardown.js',
    },
  ],
  // Applies to hooks too; integration hooks stop consumers and drop databases.
  testTimeout: 60_000,
};
