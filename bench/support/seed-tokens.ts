import { randomBytes } from 'node:crypto';
import { eventHash, GENESIS_HASH, SCHEMA_VERSION, systemContext, type EventStore, type EventToAppend } from '@ledger/event-store';
import { formatTokenId, formatTokenValue, hashTokenValue, tokenHint } from '@ledger/token-domain';
import { timeOrderedIdBytes } from '@ledger/tokens';
import { v7 as timeOrderedUuid } from 'uuid';

export interface TokenMix {
  /** Tokens that verify at the end: plain creations plus the new side of each rotation. */
  active: number;
  revoked: number;
  /** Rotations: the old token is rotated (in its grace period), the new one is active. */
  rotated: number;
}

const BATCH = 10_000;
const PROJECTS = 50;

/**
 * Appends the events of `mix` straight through the store's append path, BATCH appends queued per
 * tick so that its group commit writes each batch as one transaction: TokenCreated for every
 * token, then TokenRevoked and TokenRotated (+ the new token's TokenCreated) on the first ones,
 * each chained onto its stream's hash. No expiry, so "active" stays true whenever the bench runs.
 * Resolves with the value of one active token (created mid-way) for the load to present.
 */
export async function seedTokens(store: EventStore, mix: TokenMix): Promise<{ value: string; events: number }> {
  const createdAt = new Date().toISOString();
  const metadata = (prevHash: string) => ({ ...systemContext('bench'), schemaVersion: SCHEMA_VERSION, occurredAt: createdAt, prevHash });
  const firstHashes: Array<{ tokenId: string; projectId: string; hash: string }> = [];
  const plain = mix.active - mix.rotated + mix.revoked + mix.rotated;
  const keptAt = Math.floor(plain / 2) + mix.revoked + mix.rotated; // past the ones revoked or rotated below
  let value = '';
  let events = 0;

  const created = (i: number, rotatedFrom: string | null): { streamId: string; event: EventToAppend; tokenId: string; projectId: string } => {
    const secret = formatTokenValue('integration', randomBytes(32));
    if (i === keptAt) value = secret;
    // Ids as the API mints them (they sort by the time they were minted).
    const tokenId = formatTokenId(timeOrderedIdBytes());
    const projectId = `project-${i % PROJECTS}`;
    const data = {
      tokenId,
      projectId,
      name: `service ${i}`,
      type: 'integration',
      ownerId: null,
      scopes: ['orders:read', 'metrics'],
      expiresAt: null,
      secretHash: hashTokenValue(secret),
      hint: tokenHint(secret),
      createdAt,
      rotatedFrom,
      metadata: {},
    };
    return { streamId: `token-${tokenId}`, event: { id: timeOrderedUuid(), type: 'TokenCreated', data, metadata: metadata(GENESIS_HASH) }, tokenId, projectId };
  };

  for (let i = 0; i < plain;) {
    const appends: Promise<unknown>[] = [];
    for (const end = Math.min(plain, i + BATCH); i < end; i++) {
      const { streamId, event, tokenId, projectId } = created(i, null);
      if (i < mix.revoked + mix.rotated) firstHashes.push({ tokenId, projectId, hash: eventHash({ ...event, streamId, revision: 0 }) });
      appends.push(store.appendToStream(streamId, [event], 'no_stream'));
    }
    events += appends.length;
    await Promise.all(appends);
  }
  const graceUntil = new Date(Date.now() + 365 * 86_400_000).toISOString();
  for (let i = 0; i < firstHashes.length;) {
    const appends: Promise<unknown>[] = [];
    for (const end = Math.min(firstHashes.length, i + BATCH); i < end; i++) {
      const { tokenId, projectId, hash } = firstHashes[i];
      if (i < mix.revoked) {
        const data = { tokenId, projectId, reason: 'no longer used', revokedAt: createdAt };
        appends.push(store.appendToStream(`token-${tokenId}`, [{ id: timeOrderedUuid(), type: 'TokenRevoked', data, metadata: metadata(hash) }], 0));
        continue;
      }
      const next = created(plain + i, tokenId);
      const { secretHash, hint, expiresAt } = next.event.data as { secretHash: string; hint: string; expiresAt: null };
      const data = { tokenId, projectId, newTokenId: next.tokenId, graceUntil, rotatedAt: createdAt, newToken: { secretHash, hint, expiresAt } };
      appends.push(store.appendToStream(`token-${tokenId}`, [{ id: timeOrderedUuid(), type: 'TokenRotated', data, metadata: metadata(hash) }], 0));
      appends.push(store.appendToStream(next.streamId, [next.event], 'no_stream'));
    }
    events += appends.length;
    await Promise.all(appends);
  }
  return { value, events };
}
