import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Where `npm run build` puts the console (vite's outDir): `<package root>/dist/console`. The API
 * runs from dist/apps/api/src (npm start) or apps/api/src (ts-node in tests), so the package root
 * is found by walking up to the nearest package.json rather than by a fixed number of `..`.
 */
export function defaultConsoleDir(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = join(dir, '..');
    if (parent === dir) return join(from, 'console');
    dir = parent;
  }
  return join(dir, 'dist', 'console');
}

/**
 * The built console, read once at start: a handful of small files, so every request is a map
 * look-up and no request path ever reaches the file system (no traversal to guard against).
 * Null when the console was not built.
 */
export function loadConsoleAssets(dir: string): Map<string, ConsoleAsset> | null {
  if (!existsSync(join(dir, 'index.html'))) return null;
  const assets = new Map<string, ConsoleAsset>();
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const type = CONTENT_TYPES[extname(name).toLowerCase()];
        if (type) assets.set(relative(dir, path).split(sep).join('/'), { body: readFileSync(path), contentType: type });
      }
    }
  };
  walk(dir);
  return assets;
}
