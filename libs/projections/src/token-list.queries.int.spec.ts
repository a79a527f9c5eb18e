import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '@ledger/event-store';
import { InvalidCursorError, TokenListQueries, type TokenListFilter } from './token-list.queries';
import { TokenListReadModel } from './token-list.read-model';

let position = 0;
const event = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  id: `e${++position}`,
  streamId: `token-${String(data.tokenId)}`,
  revision: 0,
  position,
  type,
  data,
  metadata: {},
  recordedAt: new Date().toISOString(),
});
const createdEvent = (tokenId: string, name: string, extra: Record<string, unknown> = {}) =>
  event('TokenCreated', {
    tokenId,
    projectId: 'p',
    name,
    type: 'project',
    ownerId: null,
    scopes: [],
    expiresAt: null,
    secretHash: tokenId.padEnd(64, '0'),
    hint: 'tlp_…0000',
    createdAt: `2026-01-0${name.length}T00:00:00.000Z`,
    rotatedFrom: null,
    metadata: {},
    ...extra,
  });

describe('token list read model and queries (SQLite)', () => {
  let dir: string;
  let readModel: TokenListReadModel;
  let queries: TokenListQueries;
  const now = new Date('2026-02-01T00:00:00Z');
  const base: TokenListFilter = { projectId: 'p', status: 'all', order: 'createdAt', direction: 'ASC', limit: 50, now };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-rm-'));
    readModel = TokenListReadModel.open(join(dir, 'rm.sqlite'));
    queries = new TokenListQueries(readModel.db);
  });
  afterEach(() => {
    readModel.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies a batch and its checkpoint together', () => {
    const batch = [createdEvent('tok_a', 'a'), event('Unrelated', { tokenId: 'tok_a' }), createdEvent('tok_b', 'bb')];
    readModel.apply(batch);
    expect(readModel.checkpoint()).toBe(batch[2].position);
    expect(queries.get('p', 'tok_a')?.name).toBe('a');
    expect(queries.get('other', 'tok_a')).toBeNull();
  });

  it('rolls back rows and checkpoint together when a batch fails', () => {
    readModel.apply([createdEvent('tok_a', 'a')]);
    const before = readModel.checkpoint();
    const broken = event('TokenCreated', { tokenId: 'tok_z' }); // missing NOT NULL columns
    expect(() => readModel.apply([createdEvent('tok_c', 'c'), broken])).toThrow();
    expect(readModel.checkpoint()).toBe(before);
    expect(queries.get('p', 'tok_c')).toBeNull();
  });

  it('sorts never-expiring tokens after every expiry, and pages through them', () => {
    readModel.apply([
      createdEvent('tok_1', 'a', { expiresAt: '2026-05-01T00:00:00.000Z' }),
      createdEvent('tok_2', 'bb'),
      createdEvent('tok_3', 'ccc', { expiresAt: '2026-03-01T00:00:00.000Z' }),
      createdEvent('tok_4', 'dddd'),
    ]);
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = queries.list({ ...base, order: 'expiresAt', limit: 1, cursor });
      ids.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(ids).toEqual(['tok_3', 'tok_1', 'tok_2', 'tok_4']);
    expect(queries.list({ ...base, order: 'expiresAt', direction: 'DESC' }).items.map((r) => r.id)).toEqual(['tok_4', 'tok_2', 'tok_1', 'tok_3']);
  });

  it('filters by status against the given clock', () => {
    readModel.apply([
      createdEvent('tok_1', 'a', { expiresAt: '2026-01-15T00:00:00.000Z' }),
      createdEvent('tok_2', 'bb'),
      createdEvent('tok_3', 'ccc'),
      event('TokenRevoked', { tokenId: 'tok_3', revokedAt: '2026-01-20T00:00:00.000Z', reason: null }),
    ]);
    const ids = (status: TokenListFilter['status']) => queries.list({ ...base, status }).items.map((r) => r.id);
    expect(ids('active')).toEqual(['tok_2']);
    expect(ids('expired')).toEqual(['tok_1']);
    expect(ids('revoked')).toEqual(['tok_3']);
    expect(queries.list({ ...base, status: 'active', now: new Date('2026-01-10T00:00:00Z') }).items).toHaveLength(2);
  });

  it('refuses a tampered or foreign cursor', () => {
    expect(() => queries.list({ ...base, cursor: 'garbage' })).toThrow(InvalidCursorError);
  });
});
