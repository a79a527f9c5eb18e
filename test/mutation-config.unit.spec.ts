import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * `npm run mutation` must keep working as the code grows: each target's test selection must
 * find its specs (jest would otherwise run none and Stryker report every mutant survived), and
 * a wrong target must stop with a line that says what to type.
 */
const ROOT = join(__dirname, '..');
const files = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [relative(ROOT, join(ROOT, dir, entry.name))],
  );

function configFor(target: string | undefined) {
  const previous = process.env.MUTATION_TARGET;
  if (target === undefined) delete process.env.MUTATION_TARGET;
  else process.env.MUTATION_TARGET = target;
  try {
    let config: { mutate: string[]; jest: { config: { testRegex: string } }; jsonReporter: { fileName: string } } | undefined;
    jest.isolateModules(() => (config = require('../stryker.config.js')));
    return config!;
  } finally {
    if (previous === undefined) delete process.env.MUTATION_TARGET;
    else process.env.MUTATION_TARGET = previous;
  }
}

describe('stryker.config.js', () => {
  const libs = files('libs');

  it.each([
    ['domain', 'libs/token-domain/src/token.decider.unit.spec.ts', 'libs/projections/src/token-index.unit.spec.ts'],
    ['index', 'libs/projections/src/token-index.unit.spec.ts', 'libs/projections/src/token-list.queries.int.spec.ts'],
  ])('%s runs its own unit specs and no others', (target, own, other) => {
    const config = configFor(target);
    const specs = libs.filter((file) => new RegExp(config.jest.config.testRegex).test(file));
    expect(specs).toContain(own);
    expect(specs).not.toContain(other);
    expect(specs.every((file) => file.endsWith('.unit.spec.ts'))).toBe(true);
    expect(config.jsonReporter.fileName).toBe(`reports/mutation/${target}/mutation.json`);
  });

  it('mutates the whole domain by glob, never a spec or the test helpers', () =>
    expect(configFor('domain').mutate).toEqual([
      'libs/token-domain/src/**/*.ts',
      '!libs/token-domain/src/**/*.spec.ts',
      '!libs/token-domain/src/index.ts',
      '!libs/token-domain/src/testing/**',
    ]));

  it.each([undefined, 'everything'])('refuses target %p with what to type', (target) =>
    expect(() => configFor(target)).toThrow('MUTATION_TARGET must be one of domain, index'),
  );
});
