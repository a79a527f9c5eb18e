import type { RecordedEvent } from '@ledger/event-store';
import { isTokenEvent, type TokenEvent } from '@ledger/token-domain';
import { TokenIndex, evolveIndexedToken } from './token-index';
import { tokenStatus } from './token-list.projection';
import { CREDENTIAL_FAILURES } from './token-verification';
import { recorded, recordedCreated, sha256Hex } from './testing/recorded-token-events';

/**
 * The index on its own, fed the way the projector feeds it, with the read model's id → secret
 * hash lookup replaced by a map the test controls (and counts): lookups by every secret-hash
 * shape, the states revoke, rotation and expiry leave behind, and the entries it reuses.
 */
const h = sha256Hex;
const event = recorded;
/** The pure fold takes the domain's events: narrowed the way the runners narrow what they read. */
const asTokenEvent = (recorded: RecordedEvent): TokenEvent => {
  if (!isTokenEvent(recorded)) throw new Error(`${recorded.type} is not a token event`);
  return recorded;
};
const created = recordedCreated;

/** An index whose id → secret hash lookup knows what `known` says, and records every call. */
function indexKnowing(known: Record<string, string> = {}) {
  const lookups: string[] = [];
  const index = new TokenIndex((tokenId) => (lookups.push(tokenId), Object.hasOwn(known, tokenId) ? known[tokenId] : undefined));
  return { index, lookups };
}

const now = new Date('2026-02-01T00:00:00Z');

describe('token index lookups', () => {
  it('a created token is indexed from its event alone, without asking the read model', () => {
    const { index, lookups } = indexKnowing();
    index.apply([created('tok_a', h('a'))]);
    expect(index.find(h('a'))?.id).toBe('tok_a');
    expect(lookups).toEqual([]);
  });

  it('secret hashes of any shape are keyed apart: hex SHA-256 in any case, longer, shorter or not hex at all', () => {
    const hashes = [
      h('a'),
      h('a').toUpperCase(),
      h('a') + 'x',
      'x' + h('a'),
      'y' + h('a'),
      h('b') + '0',
      'a',
      'b',
      'ab',
      'g'.repeat(64),
      'z'.repeat(64),
      'not a hash',
    ];
    const { index } = indexKnowing();
    index.apply(hashes.map((secretHash, n) => created(`tok_${n}`, secretHash)));
    expect(index.size).toBe(hashes.length);
    expect(hashes.map((secretHash) => index.find(secretHash)?.id)).toEqual(hashes.map((_, n) => `tok_${n}`));
    expect(index.find(h('c'))).toBeUndefined();
    expect(index.find('')).toBeUndefined();
  });

  it('a project named like its token type keeps the owner apart from "no owner"', () => {
    const { index } = indexKnowing();
    index.apply([
      created('tok_a', h('a'), { projectId: 'personal', type: 'personal', ownerId: 'alice' }),
      created('tok_b', h('b'), { projectId: 'personal', type: 'personal', ownerId: null }),
    ]);
    expect(index.find(h('a'))).toMatchObject({ projectId: 'personal', type: 'personal', ownerId: 'alice' });
    expect(index.find(h('b'))).toMatchObject({ projectId: 'personal', type: 'personal', ownerId: null });
  });

  it('scope lists are kept whole: ["ab"] is not ["a", "b"], and equal lists are one shared list', () => {
    const { index } = indexKnowing();
    index.apply([
      created('tok_a', h('a'), { scopes: ['a', 'b'] }),
      created('tok_b', h('b'), { scopes: ['ab'] }),
      created('tok_c', h('c'), { scopes: ['a b'] }),
      created('tok_d', h('d'), { scopes: ['a', 'b'] }),
      created('tok_e', h('e'), { scopes: [] }),
    ]);
    expect(['a', 'b', 'c', 'd', 'e'].map((n) => index.find(h(n))?.scopes)).toEqual([['a', 'b'], ['ab'], ['a b'], ['a', 'b'], []]);
    expect(index.find(h('d'))!.scopes).toBe(index.find(h('a'))!.scopes);
    expect(Object.isFrozen(index.find(h('a')))).toBe(true);
  });
});

describe('token index states', () => {
  const known = { tok_a: h('a'), tok_b: h('b'), tok_c: h('c') };

  it('revoke, rotation and expiry each find the token through the read model, and end its validity', () => {
    const { index, lookups } = indexKnowing(known);
    index.apply([created('tok_a', h('a')), created('tok_b', h('b')), created('tok_c', h('c'))]);
    index.caughtUp(); // the read model stored them: from now on it answers their hashes
    expect(['a', 'b', 'c'].map((n) => tokenStatus(index.find(h(n))!, now))).toEqual(['active', 'active', 'active']);
    index.apply([
      event('TokenRevoked', { tokenId: 'tok_a', projectId: 'shop', reason: 'leaked', revokedAt: '2026-01-10T00:00:00.000Z' }),
      event('TokenRotated', { tokenId: 'tok_b', projectId: 'shop', newTokenId: 'tok_d', graceUntil: '2026-01-20T00:00:00.000Z' }),
      event('TokenExpired', { tokenId: 'tok_c', projectId: 'shop', expiredAt: '2026-01-30T00:00:00.000Z' }),
    ]);
    expect(lookups).toEqual(['tok_a', 'tok_b', 'tok_c']);
    expect(index.find(h('a'))).toMatchObject({ revokedAt: '2026-01-10T00:00:00.000Z', expiredAt: null, expiresAt: '2026-06-01T00:00:00.000Z' });
    expect(index.find(h('b'))).toMatchObject({ revokedAt: null, expiredAt: null, expiresAt: '2026-01-20T00:00:00.000Z' });
    expect(index.find(h('c'))).toMatchObject({ revokedAt: null, expiredAt: '2026-01-30T00:00:00.000Z', expiresAt: '2026-06-01T00:00:00.000Z' });
    expect(['a', 'b', 'c'].map((n) => tokenStatus(index.find(h(n))!, now))).toEqual(['revoked', 'expired', 'expired']);
  });

  it('a rotated token stays valid until its grace ends', () => {
    const { index } = indexKnowing(known);
    index.apply([created('tok_a', h('a')), event('TokenRotated', { tokenId: 'tok_a', newTokenId: 'tok_b', graceUntil: '2026-02-01T00:00:01.000Z' })]);
    expect(tokenStatus(index.find(h('a'))!, now)).toBe('active');
    expect(tokenStatus(index.find(h('a'))!, new Date('2026-02-01T00:00:01.000Z'))).toBe('expired');
  });

  it('an event for a token the read model does not know changes nothing and adds nothing', () => {
    const { index, lookups } = indexKnowing(known);
    index.apply([created('tok_a', h('a'))]);
    const before = index.find(h('a'));
    index.apply([event('TokenRevoked', { tokenId: 'tok_x', revokedAt: '2026-01-10T00:00:00.000Z' })]);
    expect(lookups).toEqual(['tok_x']);
    expect(index.size).toBe(1);
    expect(index.find(h('a'))).toBe(before);
  });

  it('a known id whose token the index lacks (not loaded yet) is not invented by a revoke', () => {
    const { index } = indexKnowing(known);
    index.apply([event('TokenRevoked', { tokenId: 'tok_a', revokedAt: '2026-01-10T00:00:00.000Z' })]);
    expect(index.size).toBe(0);
    expect(index.find(h('a'))).toBeUndefined();
  });

  it('uses and events without a token id cost no lookup and keep the entry as it was', () => {
    const { index, lookups } = indexKnowing(known);
    index.apply([created('tok_a', h('a'))]);
    const before = index.find(h('a'));
    index.apply([
      event('TokenUsed', { tokenId: 'tok_a', projectId: 'shop', count: 3, firstUsedAt: '2026-01-02T00:00:00.000Z', lastUsedAt: '2026-01-02T00:00:00.000Z' }),
      event('ProjectRenamed', { projectId: 'shop' }),
    ]);
    expect(lookups).toEqual([]);
    expect(index.find(h('a'))).toBe(before);
  });

  it('the pure fold keeps only what authentication needs, and nothing for an unknown token', () => {
    const entry = evolveIndexedToken(null, asTokenEvent(created('tok_a', h('a'), { metadata: { big: 'x' }, name: 'billing' })));
    expect(entry).toEqual({
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
    expect(evolveIndexedToken(null, asTokenEvent(event('TokenRevoked', { tokenId: 'tok_a', revokedAt: '2026-01-10T00:00:00.000Z' })))).toBeNull();
  });
});

describe('token index entries reused across lookups', () => {
  it('a token presented again gets the entry built for it, while others are looked up in between', () => {
    const { index } = indexKnowing();
    index.apply([created('tok_a', h('a')), created('tok_b', h('b'))]);
    const first = index.find(h('a'));
    expect(index.find(h('b'))).not.toBe(first);
    expect(index.find(h('a'))).toBe(first);
  });

  it('keeps the entries of the last 1024 distinct tokens, then starts over (bounded memory)', () => {
    const { index } = indexKnowing();
    index.apply(Array.from({ length: 1025 }, (_, n) => created(`tok_${n}`, h(`t${n}`))));
    const first = index.find(h('t0'));
    for (let n = 1; n < 1024; n++) index.find(h(`t${n}`));
    expect(index.find(h('t0'))).toBe(first);
    index.find(h('t1024'));
    const rebuilt = index.find(h('t0'));
    expect(rebuilt).not.toBe(first);
    expect(rebuilt).toEqual(first);
  });

  it('a change to the token replaces its reused entry', () => {
    const { index } = indexKnowing({ tok_a: h('a') });
    index.apply([created('tok_a', h('a'))]);
    const before = index.find(h('a'));
    index.apply([event('TokenRevoked', { tokenId: 'tok_a', revokedAt: '2026-01-10T00:00:00.000Z' })]);
    expect(index.find(h('a'))).not.toBe(before);
    expect(index.find(h('a'))?.revokedAt).toBe('2026-01-10T00:00:00.000Z');
  });
});

describe('credential failures (what counts toward the brute-force bucket)', () => {
  it('are values the ledger never issued: malformed and not_found, nothing else', () =>
    expect([...CREDENTIAL_FAILURES].sort()).toEqual(['malformed', 'not_found']));
});
