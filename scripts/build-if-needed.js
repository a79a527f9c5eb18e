'use strict';
/**
 * `npm start` runs this first: it builds when dist/apps/api/src/main.js is missing or older than
 * anything that goes into the build, so a fresh clone starts with one command and an unchanged
 * tree starts at once. Build output goes to stderr: stdout carries the one-time root token line.
 */
const { spawnSync } = require('node:child_process');
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const SOURCE_DIRS = ['apps', 'libs', 'bench'];
const BUILD_INPUTS = ['package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
// tsconfig.build.json leaves these out, so they never make the build stale.
const NOT_BUILT = /\.(spec|contract)\.ts$/;
// The console (apps/console, built by vite into dist/console) is .tsx, .css and .html too.
const SOURCE_FILE = /\.(ts|tsx|css|html)$/;
const CONSOLE_BUILT = ['dist', 'console', 'index.html'];

function mtimeMs(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/** The newest modification time of the .ts files under `dir`, or 0 when there are none. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (SOURCE_FILE.test(entry.name) && !NOT_BUILT.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Why a build is needed, or null when dist is up to date. */
function staleReason(root = ROOT) {
  const built = mtimeMs(join(root, 'dist', 'apps', 'api', 'src', 'main.js'));
  if (built === null) return 'dist/apps/api/src/main.js is missing';
  if (mtimeMs(join(root, ...CONSOLE_BUILT)) === null) return 'the console (dist/console/index.html) is missing';
  const sources = SOURCE_DIRS.map((dir) => join(root, dir)).filter((dir) => mtimeMs(dir) !== null);
  if (sources.some((dir) => newestSource(dir) > built)) return 'sources under apps/ or libs/ changed';
  const input = BUILD_INPUTS.find((file) => (mtimeMs(join(root, file)) ?? 0) > built);
  return input ? `${input} changed` : null;
}

function buildIfNeeded() {
  const reason = staleReason();
  if (reason === null) return;
  process.stderr.write(`Building (${reason}): npm run build\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build'], { cwd: ROOT, stdio: ['ignore', process.stderr, process.stderr], shell: process.platform === 'win32' });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    process.stderr.write(`Build failed (exit ${result.status ?? result.signal}); not starting.\n`);
    process.exit(result.status || 1);
  }
}

module.exports = { buildIfNeeded, staleReason };

if (require.main === module) buildIfNeeded();
