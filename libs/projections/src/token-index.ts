import type { RecordedEvent } from '@ledger/event-store';
import { evolveTokenRow, type IndexedToken, type ProjectedEvent, type TokenRow } from './token-list.projection';
import type { TokenListReadModel } from './token-list.read-model';

export type { IndexedToken };

/** Pure fold of one entry: the token list's fold, keeping only the indexed fields. */
export function evolveIndexedToken(entry: IndexedToken | null, event: ProjectedEvent): IndexedToken | null {
  // evolveTokenRow only spreads the row and sets fields: a partial row folds like a whole one.
  const row = evolveTokenRow(entry as TokenRow | null, event);
  return row && pick(row);
}

/**
 * Secret hash → token, in memory, so that authenticating a request never touches disk. It is
 * loaded from the read model at start and then fed by the projector in the same step as the
 * read model, so a revoke is seen here as soon as the revoke call has been answered.
 */
export class TokenIndex {
  private readonly bySecret = new Map<string, IndexedToken>();
  private readonly secretById = new Map<string, string>();
  /**
   * Projects, types and scope lists repeat across thousands of tokens: one shared copy of each
   * (entries are never mutated, a fold replaces them) keeps the index near 300 bytes a token.
   */
  private readonly strings = new Map<string, string>();
  private readonly scopeLists = new Map<string, string[]>();

  /** Everything the read model holds, up to its checkpoint. */
  static load(readModel: TokenListReadModel): TokenIndex {
    const index = new TokenIndex();
    for (const row of readModel.indexedRows()) index.put(row.secretHash, row);
    return index;
  }

  get size(): number {
    return this.bySecret.size;
  }

  find(secretHash: string): IndexedToken | undefined {
    return this.bySecret.get(secretHash);
  }

  apply(events: RecordedEvent[]): void {
    for (const event of events) {
      const tokenId = event.data.tokenId as string | undefined;
      // Uses change nothing authentication needs: skip them rather than copy the entry.
      if (!tokenId || event.type === 'TokenUsed') continue;
      const secretHash = event.type === 'TokenCreated' ? (event.data.secretHash as string) : this.secretById.get(tokenId);
      if (!secretHash) continue;
      const next = evolveIndexedToken(this.bySecret.get(secretHash) ?? null, event);
      if (next) this.put(secretHash, next);
    }
  }

  private put(secretHash: string, entry: IndexedToken): void {
    const shared = { ...entry, projectId: this.intern(entry.projectId), type: this.intern(entry.type) as IndexedToken['type'], scopes: this.internScopes(entry.scopes) };
    this.bySecret.set(secretHash, shared);
    this.secretById.set(entry.id, secretHash);
  }

  private intern(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    this.strings.set(value, value);
    return value;
  }

  private internScopes(scopes: string[]): string[] {
    const key = scopes.join(' ');
    const known = this.scopeLists.get(key);
    if (known) return known;
    const list = Object.freeze(scopes.map((s) => this.intern(s))) as string[];
    this.scopeLists.set(key, list);
    return list;
  }
}

function pick(row: TokenRow): IndexedToken {
  const { id, projectId, type, ownerId, scopes, createdAt, expiresAt, expiredAt, revokedAt } = row;
  return { id, projectId, type, ownerId, scopes, createdAt, expiresAt, expiredAt, revokedAt };
}
