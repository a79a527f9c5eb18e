import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const ROOT = join(__dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CONSOLE_SOURCES = join(ROOT, 'apps', 'console');
const CONSOLE_INDEX = join(ROOT, 'dist', 'console', 'index.html');

function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
    const path = join(dir, entry.name);
    return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);
}

/**
 * A fresh clone (CI) has no dist/console, and an edited console would be tested stale: build it
 * with `npm run build:console` (type check + vite) when it is missing or older than its sources.
 */
export function ensureConsoleBuilt(): void {
  if (existsSync(CONSOLE_INDEX) && statSync(CONSOLE_INDEX).mtimeMs >= newest(CONSOLE_SOURCES)) return;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build:console'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0) throw new Error(`npm run build:console failed (${result.status ?? result.signal}): ${result.stderr}${result.stdout}`);
}

/** Debian's chromium through playwright-core (no browser download), as CI installs it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
