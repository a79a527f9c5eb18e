// ESLint flat config (issue 17 item 3). Product code (apps/**, libs/**) is linted with type information
// (typescript-eslint recommendedTypeChecked) and may not use `any`; tests, benchmarks and examples get the
// same parser with a lighter rule set; plain JS scripts get eslint's recommended rules. Formatting is
// Prettier's job (`prettier --check` in `npm run lint`), so eslint-config-prettier comes last.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');
const globals = require('globals');

const productCode = ['apps/**/*.ts', 'apps/**/*.tsx', 'libs/**/*.ts'];
const testCode = ['**/*.spec.ts', '**/*.contract.ts', 'libs/*/src/testing/**/*.ts', 'libs/*/test/**/*.ts', 'test/**/*.ts'];

module.exports = tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      'coverage/**',
      'reports/**',
      '.stryker-tmp/**',
      'data/**',
      'libs/client/src/generated/**',
      'test/fixtures/generated-client/**',
      'apps/console/dist/**',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
    rules: {
      // `_`-prefixed names are deliberately unused (ignored tuple slots, required callback parameters).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Off on purpose: in-memory adapters and test doubles implement async ports (EventStore, scheduler,
      // notifier) without awaiting anything, and `async` keeps a throw inside them a rejected promise, which
      // is what their callers handle. Removing `async` there would turn those throws synchronous.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: productCode,
    ignores: testCode,
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // Lazy loading: these modules cost megabytes of RSS and are required only when configured (a
      // synchronous require in a constructor or factory; `await import()` where the caller is async).
      '@typescript-eslint/no-require-imports': [
        'error',
        { allow: ['^bullmq$', '^ioredis$', '^@nest-lab/throttler-storage-redis$', '^\\./esdb/esdb-event-store$', '^\\./postgres/postgres-event-store$'] },
      ],
      // `declare global { namespace Express { … } }` is how Express's Request is augmented.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
    },
  },
  {
    // Tests, benchmarks and examples: the same parser and checks, but test doubles and fixtures may be loose.
    files: [...testCode, 'bench/**/*.ts', 'examples/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['apps/console/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  prettier,
);
