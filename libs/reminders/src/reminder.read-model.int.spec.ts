import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryEventStore, systemContext } from '@ledger/event-store';
import { ReminderReadModel } from './reminder.read-model';

const noChanges = () => ({ tokens: new Map(), rows: new Map(), schedule: new Map(), cancel: new Set<string>() });

describe('reminder read model following a store', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-reminder-rm-'));
    file = join(dir, 'reminders.v1.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function storeAt(position: number): Promise<MemoryEventStore> {
    const store = new MemoryEventStore();
    for (let i = 0; i < position; i++) {
      await store.appendToStream(
        `token-t${i}`,
        [{ id: `e${i}`, type: 'TokenUsed', data: { tokenId: `t${i}` }, metadata: { ...systemContext('test') } }],
        'any',
      );
    }
    return store;
  }

  function writeCheckpoint(position: number): void {
    const readModel = ReminderReadModel.open(file);
    readModel.write(noChanges(), position);
    readModel.close();
  }

  it('keeps a read model that is behind or level with the store', async () => {
    writeCheckpoint(2);
    const reset = jest.fn();
    const readModel = await ReminderReadModel.openFollowing(file, await storeAt(3), reset);
    expect(readModel.checkpoint()).toBe(2);
    expect(reset).not.toHaveBeenCalled();
    readModel.close();
  });

  it('starts afresh when the read model is ahead of the store (the store was replaced)', async () => {
    writeCheckpoint(5);
    const reset = jest.fn();
    const readModel = await ReminderReadModel.openFollowing(file, await storeAt(1), reset);
    expect(readModel.checkpoint()).toBe(0);
    expect(reset).toHaveBeenCalledTimes(1);
    readModel.close();
  });
});
