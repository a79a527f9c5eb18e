import { MemoryEventStore, SCHEMA_VERSION, eventHash, GENESIS_HASH } from '@ledger/event-store';
import { exportAuditLog, type ExportFormat } from './audit-export';
import { checkExportFile, parseCsvLine } from './export-file-check';

async function ledger(): Promise<MemoryEventStore> {
  const store = new MemoryEventStore();
  let prevHash = GENESIS_HASH;
  for (let revision = 0; revision < 3; revision++) {
    const event = {
      id: `e${revision}`,
      type: revision === 0 ? 'TokenCreated' : 'TokenUsed',
      data: { tokenId: 'tok_a', projectId: 'shop', note: 'has "quotes", commas\nand a line break' },
      metadata: { schemaVersion: SCHEMA_VERSION, prevHash },
    };
    await store.appendToStream('token-tok_a', [event], revision === 0 ? 'no_stream' : revision - 1);
    prevHash = eventHash({ ...event, streamId: 'token-tok_a', revision });
  }
  return store;
}

async function exported(format: ExportFormat): Promise<string[]> {
  let text = '';
  for await (const chunk of exportAuditLog(await ledger(), {}, format)) text += chunk;
  return text.split('\n');
}

async function* lines(all: string[]) {
  yield* all;
}

describe('export file check', () => {
  it.each(['ndjson', 'csv'] as const)('given an untouched %s export → ok', async (format) => {
    const report = await checkExportFile(lines(await exported(format)));
    expect(report).toMatchObject({ ok: true, format, events: 3, problems: [], trailer: { count: 3, lastPosition: 3 } });
  });

  it.each(['ndjson', 'csv'] as const)('given a %s line changed → names its event', async (format) => {
    const file = await exported(format);
    const i = format === 'csv' ? 2 : 1;
    file[i] = file[i].replace('commas', 'semicolons');
    const report = await checkExportFile(lines(file));
    expect(report.ok).toBe(false);
    expect(report.broken[0]).toMatchObject({ eventId: 'e1', position: 2, reason: 'hash_mismatch' });
  });

  it('given a removed line → a gap, and a trailer that no longer adds up', async () => {
    const file = await exported('ndjson');
    file.splice(1, 1);
    const report = await checkExportFile(lines(file));
    expect(report.broken[0]).toMatchObject({ position: 3, reason: 'revision_gap' });
    expect(report.problems).toEqual([
      'the trailer counts 3 events, the file holds 2',
      expect.stringMatching(/^the trailer's head [0-9a-f]{64} does not match/),
    ]);
  });

  it('given a truncated file → no trailer', async () => {
    const report = await checkExportFile(lines((await exported('ndjson')).slice(0, 2)));
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(['no trailer line: the file is truncated or not a ledger export']);
  });

  it('parses RFC 4180 quoting', () => {
    expect(parseCsvLine('1,"a ""b"", c",,"x"')).toEqual(['1', 'a "b", c', '', 'x']);
  });
});
