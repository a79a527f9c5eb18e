// @ts-check
/**
 * Mutation testing (Stryker 9; 10 needs Node 22). Run it with `npm run mutation` (both targets)
 * or `npm run mutation -- domain|index`, which sets MUTATION_TARGET; see scripts/mutation.js.
 *
 * Each target mutates its source by glob, so files added later (a new rule in the domain) are
 * mutated too, and runs only the unit specs that pin it: the whole suite would take hours and
 * starts servers, while these specs run in about a second.
 */
const TARGETS = {
  domain: {
    mutate: ['libs/token-domain/src/**/*.ts', '!libs/token-domain/src/**/*.spec.ts', '!libs/token-domain/src/index.ts', '!libs/token-domain/src/testing/**'],
    specs: 'libs/token-domain/src/.*\\.unit\\.spec\\.ts$',
  },
  index: {
    mutate: ['libs/projections/src/token-index.ts', 'libs/projections/src/token-verification.ts'],
    specs: 'libs/projections/src/token-(index|verification)(\\..*)?\\.unit\\.spec\\.ts$',
  },
};

const target = process.env.MUTATION_TARGET ?? '';
if (!(target in TARGETS)) {
  throw new Error(`MUTATION_TARGET must be one of ${Object.keys(TARGETS).join(', ')} (got "${target}"); run "npm run mutation -- <target>"`);
}
const { mutate, specs } = TARGETS[/** @type {keyof typeof TARGETS} */ (target)];
const reportDir = `reports/mutation/${target}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
module.exports = {
  packageManager: 'npm',
  mutate,
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    // Only this target's specs; the repository's jest.config.js gives the rest (ts-jest, paths).
    config: { testRegex: specs },
    enableFindRelatedTests: false,
  },
  // A mutant that does not type-check is reported as a compile error, not run, and not scored.
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // The machine is shared: one test process (and one checker) unless --concurrency says otherwise.
  concurrency: 1,
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${reportDir}/index.html` },
  jsonReporter: { fileName: `${reportDir}/mutation.json` },
  // The sandbox needs only what the specs and the checker read, not data/, dist/ or reports/.
  ignorePatterns: ['dist', 'data', 'reports', 'coverage', '.tmp'],
  thresholds: { high: 90, low: 85, break: null },
};
