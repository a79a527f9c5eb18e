import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const OUT_DIR = join(__dirname, '..', '..', 'dist', 'console');
/** Issue 14: the console, gzipped, stays within 150 KB. */
const GZIP_BUDGET_BYTES = 150 * 1024;

/** Prints the gzipped size of everything built and fails the build over the budget. */
function gzipBudget(): Plugin {
  return {
    name: 'gzip-budget',
    closeBundle() {
      const files = readdirSync(OUT_DIR, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
      const total = files.reduce((sum, entry) => sum + gzipSync(readFileSync(join(entry.parentPath, entry.name))).length, 0);
      const line = `console bundle: ${(total / 1024).toFixed(1)} KB gzipped (${files.length} files, budget ${GZIP_BUDGET_BYTES / 1024} KB)`;
      if (total > GZIP_BUDGET_BYTES) throw new Error(`${line}: over budget`);
      process.stderr.write(`${line}\n`);
    },
  };
}

export default defineConfig({
  root: __dirname,
  base: '/console/',
  // Preact through esbuild's automatic JSX runtime: no Babel, no framework plugin.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    // The CSP has no 'unsafe-inline' and no data: scripts: never inline assets into the HTML or JS.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  plugins: [gzipBudget()],
});
