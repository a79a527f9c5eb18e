import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StreamCursor, StreamRangeEvent } from '@ledger/event-store';
import { tokenStreamId, type TokenEvent } from '@ledger/token-domain';
import { tokenCreated } from '../../token-domain/src/testing/token-fixtures';
import { foldStreams } from './fold-streams';
import { TokenListReadModel } from './token-list.read-model';

const AT = '2026-03-02T00:00:00.000Z';
const used = (tokenId: string, count: number): TokenEvent => ({
  type: 'TokenUsed',
  data: { tokenId, projectId: 'shop', count, firstUsedAt: AT, lastUsedAt: AT, lastIp: null, lastUserAgent: null },
});
const revoked = (tokenId: string): TokenEvent => ({ type: 'TokenRevoked', data: { tokenId, projectId: 'shop', revokedAt: AT, reason: 'test' } });

/**
 * Three token streams and one stream the token list ignores, interleaved in the global order as
 * the API appends them; positions from 1.
 */
function interleavedLog(): StreamRangeEvent[] {
  const steps: Array<[streamId: string, event: Pick<StreamRangeEvent, 'type' | 'data'>]> = [
    [tokenStreamId('tok_a'), tokenCreated({ tokenId: 'tok_a' })],
    [tokenStreamId('tok_b'), tokenCreated({ tokenId: 'tok_b' })],
    ['project-shop', { type: 'ProjectCreated', data: { projectId: 'shop' } }],
    [tokenStreamId('tok_a'), used('tok_a', 1)],
    [tokenStreamId('tok_c'), tokenCreated({ tokenId: 'tok_c' })],
    [tokenStreamId('tok_a'), used('tok_a', 2)],
    [tokenStreamId('tok_b'), revoked('tok_b')],
    [tokenStreamId('tok_a'), revoked('tok_a')],
  ];
  const revisions = new Map<string, number>();
  return steps.map(([streamId, event], i) => {
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    return { position: i + 1, streamId, revision, type: event.type, data: event.data };
  });
}

/** The log in stream order, served a page at a time after a cursor, as readStreamRange serves it. */
function inStreamOrder(log: StreamRangeEvent[], upTo: number) {
  const sorted = log.filter((e) => e.position <= upTo).sort((a, b) => (a.streamId === b.streamId ? a.revision - b.revision : a.streamId < b.streamId ? -1 : 1));
  return async (after: StreamCursor | undefined, maxCount: number): Promise<StreamRangeEvent[]> => {
    const start = after ? sorted.findIndex((e) => e.streamId === after.streamId && e.revision === after.revision) + 1 : 0;
    return sorted.slice(start, start + maxCount);
  };
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-fold-streams-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The token list the projector builds from the same events in global order. */
function foldedInGlobalOrder(log: StreamRangeEvent[]): unknown[] {
  const live = TokenListReadModel.open(join(dir, 'live.sqlite'));
  try {
    live.apply(log.map((e) => ({ ...e, id: `event-${e.position}`, metadata: {}, recordedAt: AT })));
    return live.db.prepare('SELECT * FROM tokens ORDER BY id').all();
  } finally {
    live.close();
  }
}

describe('foldStreams', () => {
  // Pages of 1 to 9: a page ends inside a stream, at its end, or holds several streams.
  it.each([1, 2, 3, 4, 9])('builds with pages of %i what the projector builds in global order, each row written once', async (batchSize) => {
    const log = interleavedLog();
    const readModel = TokenListReadModel.openForRebuild(join(dir, 'rebuilt.sqlite'));
    try {
      const written = jest.spyOn(readModel, 'write');
      const pages: number[] = [];
      const result = await foldStreams(inStreamOrder(log, 8), readModel, { batchSize, upTo: 8, onPage: (events) => pages.push(events) });

      expect(result).toEqual({ events: 8, position: 8 });
      expect(pages.at(-1)).toBe(8);
      expect(readModel.checkpoint()).toBe(8);
      expect(readModel.db.prepare('SELECT * FROM tokens ORDER BY id').all()).toEqual(foldedInGlobalOrder(log));
      const ids = written.mock.calls.flatMap(([rows]) => [...rows.keys()]);
      expect(ids.sort()).toEqual(['tok_a', 'tok_b', 'tok_c']);
    } finally {
      readModel.close();
    }
  });

  it('folds only what the pages hold up to upTo', async () => {
    const log = interleavedLog();
    const readModel = TokenListReadModel.openForRebuild(join(dir, 'rebuilt.sqlite'));
    try {
      const result = await foldStreams(inStreamOrder(log, 5), readModel, { batchSize: 2, upTo: 5 });

      expect(result).toEqual({ events: 5, position: 5 });
      expect(readModel.db.prepare('SELECT * FROM tokens ORDER BY id').all()).toEqual(foldedInGlobalOrder(log.slice(0, 5)));
    } finally {
      readModel.close();
    }
  });
});
