import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '../../../..');
const CLIENT_MODULE = 'libs/event-store/src/esdb/esdb-client.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

describe('the EventStoreDB client library', () => {
  it('is imported by esdb-client.ts alone, so moving to @kurrent/kurrentdb-client is one file', () => {
    const importers = ['apps', 'libs', 'test', 'bench']
      .flatMap((dir) => sources(join(ROOT, dir)))
      .filter((file) => /from '@eventstore\/db-client'|require\('@eventstore\/db-client'\)|import\('@eventstore\/db-client'\)/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(importers).toEqual([CLIENT_MODULE]);
  });
});
