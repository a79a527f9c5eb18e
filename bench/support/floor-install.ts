import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { ROOT } from './bench-kit';

/**
 * The verify bench's floor lives in its own install (bench/floor, with its own lock), so that the
 * floor does not inherit the project's dependency choices: the project's Fastify is whatever
 * @nestjs/platform-fastify pins or our overrides say, and a slow version there would make a slow
 * floor and a flattering ratio.
 */
export const FLOOR_DIR = join(ROOT, 'bench', 'floor');

/** Installs the floor's locked dependencies on first use (`npm ci`, so the version is the lock's). */
export function installFloor(): void {
  if (existsSync(join(FLOOR_DIR, 'node_modules', 'fastify', 'package.json'))) return;
  execFileSync('npm', ['ci', '--prefix', FLOOR_DIR, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** A require that resolves from bench/floor only, never from the project's node_modules. */
export const floorRequire = createRequire(join(FLOOR_DIR, 'package.json'));

/**
 * The floor's Fastify. Node's resolution walks up from bench/floor to the project's node_modules
 * when the floor is not installed, so where it was found is checked, not assumed.
 */
export function floorFastify(): { path: string; version: string } {
  const path = floorRequire.resolve('fastify');
  if (!path.startsWith(join(FLOOR_DIR, 'node_modules') + sep))
    throw new Error(`the floor's fastify resolved outside bench/floor: ${path} (run npm ci --prefix bench/floor)`);
  return { path, version: (floorRequire('fastify/package.json') as { version: string }).version };
}
