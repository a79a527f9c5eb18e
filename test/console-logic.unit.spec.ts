import { compareAsOf } from '../apps/console/src/logic/as-of-diff';
import { expiresSoon, expiryBody } from '../apps/console/src/logic/expiry';
import { may } from '../apps/console/src/logic/permissions';
import { relativeTime } from '../apps/console/src/logic/time-format';
import { usesPerDay } from '../apps/console/src/logic/usage-per-day';

/** The console's pure parts (apps/console/src/logic): no DOM, no Preact, so jest runs them as they are. */
describe('console logic', () => {
  const token = (id: string, status: string, expiresAt: string | null = null) => ({ id, name: id, status, expiresAt, scopes: ['a'] });

  describe('compareAsOf (point in time vs now)', () => {
    it('marks a status change, a token created since and an unchanged one', () => {
      const rows = compareAsOf([token('t1', 'active'), token('t2', 'active')], [token('t1', 'revoked'), token('t2', 'active'), token('t3', 'active')]);
      expect(rows.map((r) => [(r.then ?? r.now)!.id, r.then?.status ?? null, r.now?.status ?? null, r.change])).toEqual([
        ['t1', 'active', 'revoked', 'status-changed'],
        ['t2', 'active', 'active', 'unchanged'],
        ['t3', null, 'active', 'created-since'],
      ]);
    });

    it('marks a shortened expiry as changed', () => {
      expect(compareAsOf([token('t1', 'active', '2026-03-01T00:00:00.000Z')], [token('t1', 'active', '2026-02-01T00:00:00.000Z')])[0].change).toBe('changed');
    });
  });

  describe('usesPerDay (the token detail chart)', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const used = (count: number, lastUsedAt: string) => ({ type: 'TokenUsed', data: { count, firstUsedAt: lastUsedAt, lastUsedAt } });

    it('sums coalesced counts per UTC day over the last days, ignoring other events and older uses', () => {
      const days = usesPerDay(
        [
          used(3, '2026-03-10T01:00:00Z'),
          used(2, '2026-03-10T11:59:00Z'),
          used(5, '2026-03-08T23:59:59Z'),
          used(7, '2026-01-01T00:00:00Z'),
          { type: 'TokenRevoked', data: {} },
        ],
        now,
        3,
      );
      expect(days).toEqual([
        { day: '2026-03-08', count: 5 },
        { day: '2026-03-09', count: 0 },
        { day: '2026-03-10', count: 5 },
      ]);
    });
  });

  describe('expiry presets and the "expires in" badge', () => {
    it('sends a preset as expiresIn, a custom date as expiresAt, and nothing for no expiry', () => {
      expect(expiryBody('30d', null)).toEqual({ expiresIn: '30d' });
      expect(expiryBody('1y', null)).toEqual({ expiresIn: '1y' });
      expect(expiryBody('none', null)).toEqual({});
      expect(expiryBody('custom', '2027-01-01T00:00:00.000Z')).toEqual({ expiresAt: '2027-01-01T00:00:00.000Z' });
    });

    it('badges an active token expiring within the first reminder lead (14 d) only', () => {
      const now = new Date('2026-03-01T00:00:00Z');
      expect(expiresSoon('2026-03-04T00:00:00Z', 'active', now)).toBe(true);
      expect(expiresSoon('2026-03-15T00:00:00Z', 'active', now)).toBe(true);
      expect(expiresSoon('2026-03-15T00:00:01Z', 'active', now)).toBe(false);
      expect(expiresSoon('2026-03-04T00:00:00Z', 'revoked', now)).toBe(false);
      expect(expiresSoon('2026-02-28T00:00:00Z', 'active', now)).toBe(false);
      expect(expiresSoon(null, 'active', now)).toBe(false);
    });

    it('says relative times in whole units', () => {
      const now = new Date('2026-03-01T00:00:00Z');
      expect(relativeTime('2026-03-04T00:00:00Z', now)).toBe('in 3 days');
      expect(relativeTime('2026-02-28T23:00:00Z', now)).toBe('1 hour ago');
      expect(relativeTime(null, now)).toBe('—');
    });
  });

  describe('may (what the console shows for a token’s scopes)', () => {
    const who = (scopes: string[], type = 'project') => ({ tokenId: 'tok_x', projectId: 'shop', type, scopes });

    it('follows the API: admin implies the others, a root token acts on every project, others only on their own', () => {
      expect(may(who(['tokens:read']), 'tokens:read')).toBe(true);
      expect(may(who(['tokens:read']), 'tokens:write')).toBe(false);
      expect(may(who(['tokens:read']), 'audit:read')).toBe(false);
      expect(may(who(['admin']), 'audit:read')).toBe(true);
      expect(may(who(['admin']), 'tokens:write', 'other')).toBe(false);
      expect(may(who(['root'], 'root'), 'admin', 'other')).toBe(true);
    });
  });
});
