/** Token rows as both lists show them: enough to say what changed between two instants. */
export interface ListedToken {
  id: string;
  name: string;
  status: string;
  expiresAt: string | null;
  scopes: string[];
}

export type Change = 'unchanged' | 'created-since' | 'status-changed' | 'changed';

export interface ComparedToken<T extends ListedToken> {
  then: T | null;
  now: T | null;
  change: Change;
}

/**
 * The point-in-time view: the project's tokens as they were at the chosen instant next to how
 * they are now. A token absent then was created since; one whose status or expiry differs is
 * highlighted with what it was then.
 */
export function compareAsOf<T extends ListedToken>(then: T[], now: T[]): ComparedToken<T>[] {
  const nowById = new Map(now.map((token) => [token.id, token]));
  const rows: ComparedToken<T>[] = then.map((past) => {
    const current = nowById.get(past.id) ?? null;
    nowById.delete(past.id);
    if (!current) return { then: past, now: null, change: 'changed' };
    if (current.status !== past.status) return { then: past, now: current, change: 'status-changed' };
    const same = current.expiresAt === past.expiresAt && current.name === past.name && current.scopes.join(' ') === past.scopes.join(' ');
    return { then: past, now: current, change: same ? 'unchanged' : 'changed' };
  });
  for (const current of nowById.values()) rows.push({ then: null, now: current, change: 'created-since' });
  return rows;
}
