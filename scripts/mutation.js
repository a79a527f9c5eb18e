'use strict';
/**
 * `npm run mutation` runs Stryker on every target of stryker.config.js in turn;
 * `npm run mutation -- domain` (or `index`) runs one. Further arguments go to `stryker run`
 * (`npm run mutation -- index --concurrency 2`). Reports land in reports/mutation/<target>/.
 * Exits non-zero when a run fails; a low score is in the report, not a failure.
 */
const { spawnSync } = require('node:child_process');
const { dirname, join } = require('node:path');

const ROOT = join(__dirname, '..');
const TARGETS = ['domain', 'index'];

const args = process.argv.slice(2);
const named = args.filter((a) => TARGETS.includes(a));
const passThrough = args.filter((a) => !TARGETS.includes(a));
const unknown = passThrough.filter((a, i) => !a.startsWith('-') && !(passThrough[i - 1] ?? '').startsWith('-'));
if (unknown.length > 0) {
  process.stderr.write(`Unknown mutation target ${unknown.join(', ')}; known: ${TARGETS.join(', ')}\n`);
  process.exit(2);
}

// The package exports no bin path: find it next to its package.json.
const stryker = join(dirname(require.resolve('@stryker-mutator/core/package.json', { paths: [ROOT] })), 'bin', 'stryker.js');
for (const target of named.length > 0 ? named : TARGETS) {
  process.stderr.write(`+ stryker run (${target})\n`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [stryker, 'run', 'stryker.config.js', ...passThrough], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, MUTATION_TARGET: target },
  });
  process.stderr.write(`${target}: ${Math.round((Date.now() - started) / 1000)} s, report in reports/mutation/${target}/index.html\n`);
  if (run.status !== 0) process.exit(run.status ?? 1);
}
