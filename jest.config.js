// Test tiers by file suffix (STYLE.md): *.unit.spec.ts need nothing; *.int.spec.ts need the real
// PostgreSQL and Kafka broker; *.e2e.spec.ts run the apps as processes.
const swc = ['@swc/jest', { swcrc: true }];
const moduleNameMapper = {
  '^@silta/([^/]+)(/(.*))?$': '<rootDir>/libs/$1/src/$3',
  // kubernetes-models (test/k8s.int.spec.ts) exports ESM by subpath only ("import" condition),
  // which Jest's CommonJS resolver does not follow: map the subpaths to their files.
  '^(kubernetes-models|@kubernetes-models/keda|@kubernetes-models/apimachinery)/(.+)$': '<rootDir>/node_modules/$1/$2.js',
  '^@kubernetes-models/(base|validate)$': '<rootDir>/node_modules/@kubernetes-models/$1/dist/index.js',
  '^@kubernetes-models/validate/runtime/(.+)$': '<rootDir>/node_modules/@kubernetes-models/validate/dist/runtime/$1.js',
};
// jose and kubernetes-models (with the ip/cidr checks its validator uses) ship ESM only; Jest's
// module system needs them compiled to CommonJS.
const esmOnly = '(jose|kubernetes-models|@kubernetes-models|is-cidr|cidr-regex|ip-regex)';
const esmToCjs = ['@swc/jest', { swcrc: false, jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc, [`^.+/node_modules/${esmOnly}/.+\\.js$`]: esmToCjs },
  transformIgnorePatterns: [`/node_modules/(?!${esmOnly}/)`],
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
    {
      ...common,
      displayName: 'browser',
      // Debian's Chromium through playwright-core (test/browser/harness.ts). No global broker: each
      // file's stack starts a broker of its own, since the demo's fixed ids would meet earlier
      // runs' events on a shared one.
      testMatch: ['<rootDir>/test/**/*.browser.spec.ts'],
      testEnvironment: '<rootDir>/test/quiet-test-environment.js',
    },
  ],
  // Applies to hooks too; integration hooks stop consumers and drop databases.
  testTimeout: 60_000,
};
