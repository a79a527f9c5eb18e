'use strict';
/**
 * `npm run bench` runs every bench/*.bench.ts in turn; `npm run bench -- <name>` runs
 * bench/<name>.bench.ts. Each prints its JSON lines on stdout. Exits non-zero when a bench fails
 * to run; a missed target is reported in its JSON line, not treated as a failure.
 */
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const BENCH_DIR = join(ROOT, 'bench');
// Generous: most benches need well under a minute; a hang must not block CI forever. The million
// bench seeds and starts a ledger of a million tokens, which takes minutes on a busy machine.
const TIMEOUT_MS = 5 * 60_000;
const TIMEOUT_MS_BY_BENCH = { 'million.bench.ts': 20 * 60_000 };

function benchFiles(name) {
  if (name) {
    const file = `${name.replace(/\.bench\.ts$/, '')}.bench.ts`;
    if (!existsSync(join(BENCH_DIR, file))) {
      const known = readdirSync(BENCH_DIR)
        .filter((f) => f.endsWith('.bench.ts'))
        .map((f) => f.replace('.bench.ts', ''));
      process.stderr.write(`No bench/${file}; known: ${known.join(', ')}\n`);
      process.exit(2);
    }
    return [file];
  }
  return readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
}

const STOP_GRACE_MS = 5000;
let running = null;
let interrupted = false;

/**
 * Each bench runs in its own process group, so that a timeout or Ctrl-C also ends the servers and
 * children it started: SIGTERM lets it remove its temporary files, SIGKILL follows if it hangs.
 */
function stop(child) {
  const signal = (name) => {
    try {
      process.kill(-child.pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  setTimeout(() => signal('SIGKILL'), STOP_GRACE_MS).unref();
}

process.on('SIGINT', () => {
  interrupted = true;
  if (running) stop(running);
});

function run(file) {
  // Benchmarks measure the compiled code that `npm start` runs (main() builds it if stale).
  const child = spawn(process.execPath, [join('dist', 'bench', file.replace(/\.ts$/, '.js'))], {
    cwd: ROOT,
    stdio: 'inherit',
    detached: true,
  });
  running = child;
  const timer = setTimeout(() => stop(child), TIMEOUT_MS_BY_BENCH[file] ?? TIMEOUT_MS);
  return new Promise((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      running = null;
      resolve(code === 0 ? null : (signal ?? `exit ${code}`));
    });
  });
}

async function main() {
  const build = spawnSync(process.execPath, [join(__dirname, 'build-if-needed.js')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
  let failed = 0;
  for (const file of benchFiles(process.argv[2])) {
    if (interrupted) break;
    const failure = await run(file);
    if (failure !== null) {
      failed++;
      process.stderr.write(`bench/${file} failed (${failure})\n`);
    }
  }
  process.exitCode = interrupted ? 130 : failed > 0 ? 1 : 0;
}

main();
