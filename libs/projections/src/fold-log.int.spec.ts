import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GlobalPosition, PartitionEvent } from '@ledger/event-store';
import { tokenStreamId } from '@ledger/token-domain';
import { tokenCreated } from '../../token-domain/src/testing/token-fixtures';
import { foldLog } from './fold-log';
import { TokenListReadModel } from './token-list.read-model';

const created = (position: number): PartitionEvent => {
  const event = tokenCreated({ tokenId: `tok_${position}` });
  return { position, streamId: tokenStreamId(`tok_${position}`), ...event };
};

/** A log of `count` creations served a page at a time, recording what was asked and what was folded. */
function pagedLog(count: number, steps: string[], fail?: { after: GlobalPosition; error: Error }) {
  const log = Array.from({ length: count }, (_, i) => created(i + 1));
  return async (after: GlobalPosition, maxCount: number): Promise<PartitionEvent[]> => {
    steps.push(`read after ${after}`);
    if (fail && after === fail.after) throw fail.error;
    return log.filter((e) => e.position > after).slice(0, maxCount);
  };
}

let dir: string;
let readModel: TokenListReadModel;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-fold-log-'));
  readModel = TokenListReadModel.openForRebuild(join(dir, 'token-list.db'));
});
afterEach(() => {
  readModel.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('foldLog', () => {
  it('asks for the next page before folding the one it has, so that a server reads while the client folds', async () => {
    const steps: string[] = [];
    const fold = readModel.fold.bind(readModel);
    jest.spyOn(readModel, 'fold').mockImplementation((events, rows) => {
      steps.push(`fold ${events[0].position}-${events[events.length - 1].position}`);
      return fold(events, rows);
    });

    const result = await foldLog(pagedLog(5, steps), readModel, { batchSize: 2, rowsInMemory: 100 });

    expect(result).toEqual({ events: 5, position: 5 });
    expect(steps).toEqual(['read after 0', 'read after 2', 'fold 1-2', 'read after 4', 'fold 3-4', 'read after 5', 'fold 5-5']);
    expect(readModel.checkpoint()).toBe(5);
  });

  it('stops at upTo without asking for a page beyond it', async () => {
    const steps: string[] = [];
    const result = await foldLog(pagedLog(9, steps), readModel, { batchSize: 4, rowsInMemory: 100, upTo: 6 });

    expect(result).toEqual({ events: 6, position: 6 });
    expect(steps).toEqual(['read after 0', 'read after 4']);
  });

  it('fails with the fold’s error, and leaves no unhandled rejection, when the page asked for ahead fails too', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      jest.spyOn(readModel, 'fold').mockImplementation(() => {
        throw new Error('fold failed');
      });
      const readPage = pagedLog(4, [], { after: 2, error: new Error('store gone') });

      await expect(foldLog(readPage, readModel, { batchSize: 2, rowsInMemory: 100 })).rejects.toThrow('fold failed');
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('fails with the store’s error when a page it waits for fails', async () => {
    const readPage = pagedLog(4, [], { after: 2, error: new Error('store gone') });
    await expect(foldLog(readPage, readModel, { batchSize: 2, rowsInMemory: 100 })).rejects.toThrow('store gone');
  });
});
