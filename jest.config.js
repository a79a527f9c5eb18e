/** Tests are split by suffix: *.unit.spec.ts (pure), *.int.spec.ts (real SQLite files,
 * child processes), *.e2e.spec.ts (a real listening server). */
const swcConfig = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '\\.spec\\.ts$',
  transform: { '^.+\\.ts$': ['@swc/jest', swcConfig] },
  moduleNameMapper: {
    '^@ledger/(.*)$': '<rootDir>/libs/$1/src',
  },
  testTimeout: 30000,
  maxWorkers: 2,
};
