import { handleCommand, MemoryEventStore, systemContext, type EventStore } from '@ledger/event-store';
import { tokenDecider, tokenStreamId, type CommandCaller, type TokenCommand, type TokenEvent } from '@ledger/token-domain';

/**
 * PATCH racing a revoke, with the interleaving forced: the second command lands between the first
 * one's read and its append. Whichever loses is decided again on the fresh stream (handleCommand),
 * so the history is always one the decider would have produced in some order.
 */
const ROOT: CommandCaller = { kind: 'token', tokenId: 'tok_root', projectId: '_system', scopes: ['root'], expiresAt: null };
const NOW = new Date('2026-03-01T10:00:00.000Z');
const STREAM = tokenStreamId('tok_a');
const ctx = systemContext('race');

const created: TokenEvent = {
  type: 'TokenCreated',
  data: {
    tokenId: 'tok_a',
    projectId: 'shop',
    name: 'billing',
    type: 'integration',
    ownerId: null,
    scopes: ['orders:read', 'orders:write'],
    expiresAt: null,
    secretHash: 'a'.repeat(64),
    hint: 'tli_…abcd',
    createdAt: NOW.toISOString(),
    rotatedFrom: null,
    metadata: {},
  },
};
const update: TokenCommand = { type: 'UpdateToken', data: { caller: ROOT, tokenId: 'tok_a', projectId: 'shop', scopes: ['orders:read'], now: NOW } };
const revoke: TokenCommand = { type: 'RevokeToken', data: { caller: ROOT, tokenId: 'tok_a', projectId: 'shop', reason: 'leaked', now: NOW } };

/** A store on which `other` runs to completion just before the first append of the command under test. */
function interleaving(store: MemoryEventStore, other: TokenCommand): EventStore {
  let cut = false;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'appendToStream') return Reflect.get(target, property, receiver);
      return async (...args: Parameters<EventStore['appendToStream']>) => {
        if (!cut) {
          cut = true;
          await handleCommand(target, STREAM, tokenDecider, other, ctx);
        }
        return target.appendToStream(...args);
      };
    },
  });
}

async function race(first: TokenCommand, second: TokenCommand): Promise<{ outcome: unknown; types: string[] }> {
  const store = new MemoryEventStore();
  try {
    await store.appendToStream(STREAM, [{ id: 'e0', type: created.type, data: created.data, metadata: {} }], 'no_stream');
    const outcome = await handleCommand(interleaving(store, second), STREAM, tokenDecider, first, ctx).then(
      (result) => result.appended.map((e) => e.type),
      (error) => error,
    );
    return { outcome, types: (await store.readStream(STREAM)).map((e) => e.type) };
  } finally {
    await store.close();
  }
}

describe('PATCH racing a revoke on one token', () => {
  it('an edit overtaken by a revoke is decided again and refused: the token stays revoked, unedited', async () => {
    const { outcome, types } = await race(update, revoke);
    expect(outcome).toMatchObject({ kind: 'conflict', code: 'token_revoked' });
    expect(types).toEqual(['TokenCreated', 'TokenRevoked']);
  });

  it('a revoke overtaken by an edit is decided again and recorded after it', async () => {
    const { outcome, types } = await race(revoke, update);
    expect(outcome).toEqual(['TokenRevoked']);
    expect(types).toEqual(['TokenCreated', 'TokenUpdated', 'TokenRevoked']);
  });
});
