import type { RecordedEvent } from '@ledger/event-store';
import { hashTokenValue, tokenValueDigest } from '@ledger/token-domain';
import { TokenIndex, UnplacedTokenEventError } from './token-index';
import { tokenStatus } from './token-list.projection';
import { TokenListReadModel } from './token-list.read-model';
import { recorded, recordedCreated, sha256Hex } from './testing/recorded-token-events';

const h = sha256Hex;
const event = recorded;
const created = (tokenId: string, secretHash: string) => recordedCreated(tokenId, secretHash, { metadata: { big: 'not kept' } });

describe('token index (secret hash → token)', () => {
  const now = new Date('2026-02-01T00:00:00Z');
  let readModel: TokenListReadModel;
  beforeEach(() => (readModel = TokenListReadModel.open(':memory:')));
  afterEach(() => readModel.close());

  /** What the projector does: the read model first, then the index it follows. */
  const project = (index: TokenIndex, events: RecordedEvent[]) => {
    readModel.apply(events);
    index.apply(events);
  };

  it("names a token's secret hash by its id (an access token names its parent so), before and after the read model has it", () => {
    const index = TokenIndex.load(readModel);
    index.apply([created('tok_ahead', h('ahead'))]);
    expect(index.secretHashOfId('tok_ahead')).toBe(h('ahead'));
    project(index, [created('tok_b', h('b'))]);
    index.caughtUp();
    expect(index.secretHashOfId('tok_b')).toBe(h('b'));
    expect(index.secretHashOfId('tok_none')).toBeUndefined();
  });

  it('an AccessTokenIssued changes nothing authentication reads', () => {
    const index = TokenIndex.load(readModel);
    project(index, [created('tok_a', h('a'))]);
    const before = index.find(h('a'));
    project(index, [
      event('AccessTokenIssued', {
        tokenId: 'tok_a',
        projectId: 'shop',
        jti: 'j',
        kid: 'k',
        scopes: ['read'],
        issuedAt: 'x',
        expiresAt: 'y',
        clientAddress: null,
      }),
    ]);
    expect(index.find(h('a'))).toBe(before);
  });

  it('finds a created token by its secret hash, keeping only what authentication needs', () => {
    const index = TokenIndex.load(readModel);
    project(index, [created('tok_a', h('a'))]);
    expect(index.find(h('a'))).toEqual({
      id: 'tok_a',
      projectId: 'shop',
      type: 'project',
      ownerId: null,
      scopes: ['read'],
      createdAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2026-06-01T00:00:00.000Z',
      expiredAt: null,
      revokedAt: null,
    });
    expect(index.find(h('b'))).toBeUndefined();
    expect(index.find(h('a').toUpperCase())).toBeUndefined();
  });

  it('finds the same token by the value digest (the verification path) as by its hex secret hash', () => {
    const index = TokenIndex.load(readModel);
    project(index, [created('tok_a', hashTokenValue('value a'))]);
    expect(index.findByDigest(tokenValueDigest('value a'))).toBe(index.find(hashTokenValue('value a')));
    expect(index.findByDigest(tokenValueDigest('value a'))?.id).toBe('tok_a');
    expect(index.findByDigest(tokenValueDigest('value b'))).toBeUndefined();
    expect(index.findByDigest(hashTokenValue('value a'))).toBeUndefined();
  });

  it('follows revokes, rotations and expiries by token id', () => {
    const index = TokenIndex.load(readModel);
    project(index, [
      created('tok_a', h('a')),
      created('tok_b', h('b')),
      created('tok_c', h('c')),
      event('TokenRevoked', { tokenId: 'tok_a', revokedAt: '2026-01-10T00:00:00.000Z', reason: null }),
      event('TokenRotated', { tokenId: 'tok_b', newTokenId: 'tok_d', graceUntil: '2026-01-20T00:00:00.000Z' }),
      event('TokenExpired', { tokenId: 'tok_c', expiredAt: '2026-01-30T00:00:00.000Z' }),
      event('TokenRevoked', { tokenId: 'tok_unknown', revokedAt: '2026-01-10T00:00:00.000Z' }),
    ]);
    expect(tokenStatus(index.find(h('a'))!, now)).toBe('revoked');
    expect(index.find(h('b'))?.expiresAt).toBe('2026-01-20T00:00:00.000Z');
    expect(tokenStatus(index.find(h('b'))!, now)).toBe('expired');
    expect(tokenStatus(index.find(h('c'))!, now)).toBe('expired');
    expect(index.size).toBe(3);
  });

  it('loads what the read model holds, then follows a revoke of a loaded token', () => {
    readModel.apply([created('tok_a', h('a')), created('tok_b', h('b'))]);
    const index = TokenIndex.load(readModel);
    expect(index.size).toBe(2);
    expect(tokenStatus(index.find(h('a'))!, now)).toBe('active');
    project(index, [event('TokenRevoked', { tokenId: 'tok_a', revokedAt: '2026-01-10T00:00:00.000Z', reason: null })]);
    expect(tokenStatus(index.find(h('a'))!, now)).toBe('revoked');
    expect(tokenStatus(index.find(h('b'))!, now)).toBe('active');
  });

  it('loads every stored column as it was created, one shared list per distinct scopes, stored JSON of any spacing', () => {
    readModel.apply(
      Array.from({ length: 1500 }, (_, n) => {
        const e = created(`tok_${n}`, h(`t${n}`));
        Object.assign(e.data, { ownerId: n % 3 === 0 ? null : `owner-${n % 7}`, scopes: [`s${n % 5}`, 'read'], type: n % 2 === 0 ? 'project' : 'personal' });
        return e;
      }),
    );
    readModel.apply([event('TokenRevoked', { tokenId: 'tok_7', revokedAt: '2026-01-10T00:00:00.000Z', reason: null })]);
    // Written by hand or by an older version: the same list, spaced otherwise.
    readModel.db.prepare('UPDATE tokens SET scopes = ? WHERE id = ?').run('[ "s1" , "read" ]', 'tok_1');
    const index = TokenIndex.load(readModel);
    expect(index.size).toBe(1500);
    for (const n of [0, 1, 6, 7, 1023, 1024, 1499]) {
      expect(index.find(h(`t${n}`))).toEqual({
        id: `tok_${n}`,
        projectId: 'shop',
        type: n % 2 === 0 ? 'project' : 'personal',
        ownerId: n % 3 === 0 ? null : `owner-${n % 7}`,
        scopes: [`s${n % 5}`, 'read'],
        createdAt: '2026-01-01T00:00:00.000Z',
        expiresAt: '2026-06-01T00:00:00.000Z',
        expiredAt: null,
        revokedAt: n === 7 ? '2026-01-10T00:00:00.000Z' : null,
      });
    }
    expect(index.find(h('t6'))!.scopes).toBe(index.find(h('t1'))!.scopes);
    expect(index.find(h('t1'))!.scopes).toBe(index.find(h('t11'))!.scopes);
    // A token created after the load with a loaded list shares it too.
    index.apply([recordedCreated('tok_new', h('new'), { scopes: ['s0', 'read'] })]);
    expect(index.find(h('new'))!.scopes).toBe(index.find(h('t0'))!.scopes);
    expect(() => index.find(h('t1'))!.scopes.push('admin')).toThrow(TypeError);
  });

  it('keeps every token apart past its first columns, with times, owners and scopes as created', () => {
    const events = Array.from({ length: 2500 }, (_, n) => {
      const e = created(`tok_${n}`, h(`t${n}`));
      Object.assign(e.data, {
        ownerId: n % 3 === 0 ? null : `owner-${n % 7}`,
        scopes: [`s${n % 5}`, 'read'],
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
      });
      return e;
    });
    const index = TokenIndex.load(readModel);
    project(index, events);
    project(index, [event('TokenRevoked', { tokenId: 'tok_1234', revokedAt: '2026-01-10T00:00:00.000Z', reason: null })]);
    expect(index.size).toBe(2500);
    for (const n of [0, 1, 1023, 1024, 1234, 2047, 2048, 2499]) {
      expect(index.find(h(`t${n}`))).toEqual({
        id: `tok_${n}`,
        projectId: 'shop',
        type: 'project',
        ownerId: n % 3 === 0 ? null : `owner-${n % 7}`,
        scopes: [`s${n % 5}`, 'read'],
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
        expiresAt: '2026-06-01T00:00:00.000Z',
        expiredAt: null,
        revokedAt: n === 1234 ? '2026-01-10T00:00:00.000Z' : null,
      });
    }
    // Scope lists are shared between tokens: nobody may change one through a lookup.
    expect(() => index.find(h('t0'))!.scopes.push('admin')).toThrow(TypeError);
    expect(index.find(h('t5'))!.scopes).toEqual(['s0', 'read']);
  });

  it('revokes a token the read model has not stored yet (its writes failing), then forgets the spare hash once it caught up', () => {
    const index = TokenIndex.load(readModel);
    // The read model is not written: it cannot tell tok_f's hash.
    index.apply([created('tok_f', h('f')), event('TokenRevoked', { tokenId: 'tok_f', revokedAt: '2026-01-10T00:00:00.000Z', reason: null })]);
    expect(index.find(h('f'))!.revokedAt).toBe('2026-01-10T00:00:00.000Z');
    index.caughtUp();
    readModel.apply([created('tok_g', h('g'))]);
    index.apply([created('tok_g', h('g'))]);
    index.caughtUp();
    project(index, [event('TokenRevoked', { tokenId: 'tok_g', revokedAt: '2026-01-11T00:00:00.000Z', reason: null })]);
    expect(index.find(h('g'))!.revokedAt).toBe('2026-01-11T00:00:00.000Z');
  });

  it('counts tokens per project by status: revoked, past expiry or grace, active', () => {
    const index = TokenIndex.load(readModel);
    const other = { ...created('tok_c', h('c')), data: { ...created('tok_c', h('c')).data, projectId: 'billing' } };
    project(index, [created('tok_a', h('a')), created('tok_b', h('b')), other]);
    project(index, [
      event('TokenRevoked', { tokenId: 'tok_a', revokedAt: '2026-01-10T00:00:00.000Z', reason: null }),
      event('TokenRotated', { tokenId: 'tok_b', newTokenId: 'tok_d', graceUntil: '2026-01-20T00:00:00.000Z' }),
    ]);
    expect(Object.fromEntries(index.countByProjectAndStatus(now.getTime()))).toEqual({
      shop: { active: 0, expired: 1, revoked: 1 },
      billing: { active: 1, expired: 0, revoked: 0 },
    });
    // Before the rotated token's grace ends it still counts as active.
    expect(index.countByProjectAndStatus(Date.parse('2026-01-15T00:00:00Z')).get('shop')).toEqual({ active: 1, expired: 0, revoked: 1 });
  });

  it('counts a token expired at the instant its expiry passes, and one recorded expired before it (first slot included)', () => {
    const index = TokenIndex.load(readModel);
    project(index, [created('tok_a', h('a')), created('tok_b', h('b'))]);
    const expiry = Date.parse('2026-06-01T00:00:00.000Z');
    expect(index.countByProjectAndStatus(expiry - 1).get('shop')).toEqual({ active: 2, expired: 0, revoked: 0 });
    expect(index.countByProjectAndStatus(expiry).get('shop')).toEqual({ active: 0, expired: 2, revoked: 0 });
    // A TokenExpired counts whatever instant is asked: the ledger recorded it.
    project(index, [event('TokenExpired', { tokenId: 'tok_a', expiredAt: '2026-01-15T00:00:00.000Z' })]);
    expect(index.countByProjectAndStatus(now.getTime()).get('shop')).toEqual({ active: 1, expired: 1, revoked: 0 });
    project(index, [event('TokenExpired', { tokenId: 'tok_b', expiredAt: '2026-01-16T00:00:00.000Z' })]);
    expect(index.countByProjectAndStatus(now.getTime()).get('shop')).toEqual({ active: 0, expired: 2, revoked: 0 });
  });

  it('warns with the token id of a revoke, rotation or expiry of a token never created, and skips it', () => {
    const warnings: Array<{ message: string; tokenId: string; type: string }> = [];
    const index = TokenIndex.load(readModel, (message, e) => warnings.push({ message, tokenId: e.tokenId, type: e.type }));
    // Revision 0: the event opens its stream, so no creation of that token is in the store.
    project(index, [
      created('tok_a', h('a')),
      event('TokenRevoked', { tokenId: 'tok_ghost', revokedAt: '2026-01-10T00:00:00.000Z', reason: null }),
      event('TokenExpired', { tokenId: 'tok_ghost2', expiredAt: '2026-01-10T00:00:00.000Z' }),
      event('ReminderSent', { tokenId: 'tok_ghost3', kind: 'expired' }),
    ]);
    expect(warnings.map(({ tokenId, type }) => ({ tokenId, type }))).toEqual([
      { tokenId: 'tok_ghost', type: 'TokenRevoked' },
      { tokenId: 'tok_ghost2', type: 'TokenExpired' },
    ]);
    expect(warnings[0].message).toContain('tok_ghost');
    expect(index.size).toBe(1);
  });

  it('throws on a revoke of a token created in the store that neither it nor the read model can place', () => {
    const index = TokenIndex.load(readModel);
    // tok_lost was created (the revoke is its stream's second event), but its hash is nowhere here.
    const revoke = { ...event('TokenRevoked', { tokenId: 'tok_lost', revokedAt: '2026-01-10T00:00:00.000Z', reason: null }), revision: 1 };
    expect(() => project(index, [revoke])).toThrow(UnplacedTokenEventError);
    expect(() => project(index, [revoke])).toThrow(/TokenRevoked at position \d+ names tok_lost/);
    const rotate = { ...event('TokenRotated', { tokenId: 'tok_lost', newTokenId: 'tok_new', graceUntil: '2026-01-20T00:00:00.000Z' }), revision: 2 };
    expect(() => index.apply([rotate])).toThrow(UnplacedTokenEventError);
  });

  it('places a revoke of a token created before the index was loaded through the read model, at any revision', () => {
    // Created and stored before this index existed (an earlier run, a rebuilt read model).
    readModel.apply([created('tok_old', h('old'))]);
    const index = TokenIndex.load(readModel);
    const revoke = { ...event('TokenRevoked', { tokenId: 'tok_old', revokedAt: '2026-01-10T00:00:00.000Z', reason: null }), revision: 5 };
    expect(() => index.apply([revoke])).not.toThrow();
    expect(tokenStatus(index.find(h('old'))!, now)).toBe('revoked');
  });
});
