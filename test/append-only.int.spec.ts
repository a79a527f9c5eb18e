import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');

/**
 * Statements that change or remove recorded events: SQL on the SQLite `events` table, and the
 * EventStoreDB client calls that delete or tombstone a stream. The service only ever appends.
 */
const REWRITES: Array<[string, RegExp]> = [
  ['UPDATE events', /\bUPDATE\s+(?:OR\s+\w+\s+)?["'`[]?events\b/i],
  ['DELETE FROM events', /\bDELETE\s+FROM\s+["'`[]?events\b/i],
  ['REPLACE INTO events', /\bREPLACE\s+INTO\s+["'`[]?events\b/i],
  ['DROP TABLE events', /\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?["'`[]?events\b/i],
  ['deleteStream / tombstoneStream', /\b(?:deleteStream|tombstoneStream)\s*\(/],
];

const SOURCE = /\.(ts|js|mjs|cjs|sql)$/;
// Tests may tamper with a copy of the file on purpose (that is how verification is tested).
const TEST = /\.(spec|contract)\.ts$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return SOURCE.test(entry.name) && !TEST.test(entry.name) ? [path] : [];
  });
}

/** `file:line: what` for every statement that would rewrite history. */
function rewritesIn(...dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    sourceFiles(join(ROOT, dir)).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return REWRITES.flatMap(([what, pattern]) => {
        const found = new RegExp(pattern.source, pattern.flags + 'g');
        return [...text.matchAll(found)].map((m) => `${relative(ROOT, file)}:${text.slice(0, m.index).split('\n').length}: ${what}`);
      });
    }),
  );
}

describe('the event log is append-only', () => {
  it('no product code updates or deletes recorded events', () => {
    expect(rewritesIn('apps', 'libs', 'scripts', 'bench')).toEqual([]);
  });

  it('the check finds every kind of rewrite in a fixture', () => {
    expect(rewritesIn('test/fixtures/append-only')).toEqual([
      'test/fixtures/append-only/libs/event-store/src/rewriting.store.ts:5: UPDATE events',
      'test/fixtures/append-only/libs/event-store/src/rewriting.store.ts:6: DELETE FROM events',
      'test/fixtures/append-only/libs/event-store/src/rewriting.store.ts:8: REPLACE INTO events',
      'test/fixtures/append-only/libs/event-store/src/rewriting.store.ts:11: deleteStream / tombstoneStream',
    ]);
  });
});
