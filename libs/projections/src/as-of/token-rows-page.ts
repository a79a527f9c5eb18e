import type { TokenRow } from '../token-list.projection';
import { tokenStatus } from '../token-list.projection';
import { decodeCursor, encodeCursor, type TokenListFilter, type TokenOrder, type TokenPage } from '../token-list.queries';

// The same keys as the read model's SQL ordering, so a listing reads the same either way.
const SORT_KEYS: Record<TokenOrder, (row: TokenRow) => string> = {
  name: (r) => r.name,
  createdAt: (r) => r.createdAt,
  lastUsedAt: (r) => r.lastUsedAt ?? '',
  expiresAt: (r) => r.expiresAt ?? '~',
};

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The token list query (filters, order, keyset cursor) over rows held in memory, e.g. a replay. */
export function pageTokenRows(rows: Iterable<TokenRow>, filter: TokenListFilter): TokenPage {
  const key = SORT_KEYS[filter.order];
  const sign = filter.direction === 'ASC' ? 1 : -1;
  const after = filter.cursor ? decodeCursor(filter.cursor, filter.order, filter.direction) : null;
  const matching = [...rows].filter(
    (row) =>
      row.projectId === filter.projectId &&
      (!filter.type || row.type === filter.type) &&
      (filter.status === 'all' || tokenStatus(row, filter.now) === filter.status) &&
      (!after || sign * (compare(key(row), after[0]) || compare(row.id, after[1])) > 0),
  );
  matching.sort((a, b) => sign * (compare(key(a), key(b)) || compare(a.id, b.id)));
  const items = matching.slice(0, filter.limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: matching.length > filter.limit && last ? encodeCursor(filter.order, filter.direction, key(last), last.id) : null,
  };
}
