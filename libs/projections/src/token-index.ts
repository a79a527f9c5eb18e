import type { RecordedEvent } from '@ledger/event-store';
import { evolveTokenRow, type ProjectedEvent, type TokenRow } from './token-list.projection';
import type { TokenListReadModel } from './token-list.read-model';

/** What authenticating a presented token needs, and nothing more (memory per token matters). */
export type IndexedToken = Pick<
  TokenRow,
  'id' | 'projectId' | 'type' | 'ownerId' | 'scopes' | 'createdAt' | 'expiresAt' | 'expiredAt' | 'revokedAt'
>;

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

  /** Everything the read model holds, up to its checkpoint. */
  static load(readModel: TokenListReadModel): TokenIndex {
    const index = new TokenIndex();
    for (const row of readModel.rows()) index.put(row.secretHash, pick(row));
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
    this.bySecret.set(secretHash, entry);
    this.secretById.set(entry.id, secretHash);
  }
}

function pick(row: TokenRow): IndexedToken {
  const { id, projectId, type, ownerId, scopes, createdAt, expiresAt, expiredAt, revokedAt } = row;
  return { id, projectId, type, ownerId, scopes, createdAt, expiresAt, expiredAt, revokedAt };
}
