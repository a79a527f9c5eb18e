/** Tests are split by suffix: *.unit.spec.ts (pure), *.int.spec.ts (real SQLite files,
 * child processes), *.e2e.spec.ts (a real listening server). Type errors are caught by the
 * `tsc --noEmit` that `npm test` runs first, so ts-jest only transpiles (isolatedModules). */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '\\.spec\\.ts$',
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        tsconfig: {
          target: 'ES2022',
          module: 'commonjs',
          esModuleInterop: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          isolatedModules: true,
          sourceMap: true,
        },
      },
    ],
  },
  moduleNameMapper: {
    // Test-only helpers (given/when/then), kept out of the build: see libs/token-domain/src/testing/.
    '^@ledger/token-domain/testing$': '<rootDir>/libs/token-domain/src/testing/given-when-then',
    // The client's subpath entries (@ledger/client/nest …), then every library's root.
    '^@ledger/client/(.*)$': '<rootDir>/libs/client/src/$1',
    '^@ledger/(.*)$': '<rootDir>/libs/$1/src',
  },
  // Generous: several suites start the service or the CLI as child processes through ts-node,
  // which takes seconds on a busy 2-core machine; a hang still fails, just later.
  testTimeout: 90000,
  maxWorkers: 2,
  // A worker's heap grows with every suite it runs (580 MB after about 80 here). Tearing down a
  // process that size took longer than the 500 ms jest gives a worker to exit, hence "A worker
  // process has failed to exit gracefully" with no handle left open. A worker whose heap has
  // passed this after a suite is replaced by a fresh one, so none grows that large.
  workerIdleMemoryLimit: '300MB',
};
