import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** Runs dependency-cruiser (ESM-only, so as a child process) and returns the violated rule names. */
function violations(...paths: string[]): string[] {
  let output: string;
  try {
    output = execFileSync(process.execPath, [join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), '--output-type', 'json', ...paths], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    // Exits non-zero when an error-severity rule is violated; the report is still on stdout.
    output = (error as { stdout: string }).stdout;
  }
  const report = JSON.parse(output) as { summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> } };
  return report.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

describe('import directions (.dependency-cruiser.js)', () => {
  it('holds for the code base', () => {
    expect(violations('apps', 'libs', 'examples')).toEqual([]);
  });

  it('catches a domain file that imports a framework, another library and the file system', () => {
    const found = violations('test/fixtures/architecture').join('\n');
    expect(found).toMatch(/domain-is-pure: .*impure\.decider\.ts -> node_modules\/@nestjs/);
    expect(found).toMatch(/domain-is-pure: .*impure\.decider\.ts -> libs\/event-store/);
    expect(found).toMatch(/domain-does-no-io: .*impure\.decider\.ts -> fs/);
  });

  it('catches an app that imports another app (the CLI reaching into the API)', () => {
    const found = violations('test/fixtures/architecture').join('\n');
    expect(found).toMatch(/apps-never-import-other-apps: .*apps\/cli\/src\/reaches-into-api\.ts -> apps\/api\/src\/tokens\/token-view\.ts/);
  });

  it('catches a reminder schedule that imports Redis or the file system', () => {
    const found = violations('test/fixtures/architecture').join('\n');
    expect(found).toMatch(/reminder-schedule-is-pure: .*reminders\/src\/reminder-schedule\.ts -> node_modules\/ioredis/);
    expect(found).toMatch(/reminder-schedule-is-pure: .*reminders\/src\/reminder-schedule\.ts -> fs/);
  });

  it('catches a client library file that imports the ledger or, outside its framework entries, a framework', () => {
    const found = violations('test/fixtures/architecture').join('\n');
    expect(found).toMatch(/client-is-publishable: .*libs\/client\/src\/leaky-verifier\.ts -> libs\/token-domain/);
    expect(found).toMatch(/client-core-has-no-framework: .*libs\/client\/src\/leaky-verifier\.ts -> node_modules\/@nestjs/);
  });

  it('catches a circle between the folders of apps/api (issue 17: auth <-> verification, http <-> auth)', () => {
    const found = violations('test/fixtures/architecture').join('\n');
    expect(found).toMatch(/api-folders-not-circular: .*apps\/api\/src\/auth -> .*apps\/api\/src\/verification$/m);
    expect(found).toMatch(/api-folders-not-circular: .*apps\/api\/src\/http -> .*apps\/api\/src\/auth$/m);
    // Not a circle: a feature's subfolder importing verification's subfolder points one way.
    expect(found).not.toMatch(/api-folders-not-circular: .*apps\/api\/src\/tokens/);
  });

  it('catches an apps/api folder importing a layer above it', () => {
    const found = violations('test/fixtures/architecture').join('\n');
    expect(found).toMatch(/api-foundations-import-no-feature: .*api\/src\/http\/request-context\.ts -> .*api\/src\/auth\/caller\.ts/);
    expect(found).toMatch(/verification-imports-no-auth-or-feature: .*api\/src\/verification\/hot-path\.routes\.ts -> .*api\/src\/auth\/credentials\.ts/);
    // The circle the folder view misses: verification/usage -> tokens while tokens/revoke-token -> verification/rate-limit.
    expect(found).toMatch(
      /verification-imports-no-auth-or-feature: .*api\/src\/verification\/usage\/usage-flusher\.ts -> .*api\/src\/tokens\/token-stream\.ts/,
    );
    expect(found).toMatch(/auth-imports-no-feature: .*api\/src\/auth\/require-scope\.decorator\.ts -> .*api\/src\/audit\/audit-scope\.ts/);
    expect(found).not.toMatch(/revoke-token\.http\.controller\.ts/);
  });

  it('catches an apps/api folder importing the app root, which imports every folder', () => {
    const found = violations('test/fixtures/architecture').join('\n');
    expect(found).toMatch(/api-folders-never-import-the-root: .*api\/src\/reminders\/reminder\.health\.ts -> .*api\/src\/app\.factory\.ts/);
    expect(found).toMatch(/api-foundations-import-no-feature: .*api\/src\/openapi\/served-openapi\.ts -> .*api\/src\/app\.factory\.ts/);
  });

  it('catches a console file that imports server code', () => {
    const found = violations('test/fixtures/architecture').join('\n');
    expect(found).toMatch(/console-is-an-api-client: .*console\/src\/reaches-into-server\.ts -> apps\/api\/src\/http\/api-error\.ts/);
  });
});
