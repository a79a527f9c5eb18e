/**
 * Node arguments that run this project's TypeScript directly in a child process, as the tests
 * and benchmarks need: ts-node transpiles (type checking is `tsc --noEmit`'s job) and
 * tsconfig-paths resolves the `@ledger/*` aliases.
 */
export const TS_NODE_ARGS = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];
