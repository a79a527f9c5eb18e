import { createHash } from 'node:crypto';
import type { VerifiedToken, VerifyRequirement } from './verified-token';

interface Entry {
  token: VerifiedToken;
  /** Served until then. */
  freshUntil: number;
  /** Served when the ledger cannot be reached, until then (staleIfErrorMs). */
  staleUntil: number;
}

/**
 * Valid answers only, for a few seconds, at most `maxEntries` of them (the least recently used
 * goes first). Keyed by a hash of the token and the requirement, so no token value is kept.
 * A refusal is never cached: a token that was not valid is asked about again next time.
 */
export class VerifyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly staleIfErrorMs = 0,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  key(token: string, requirement: VerifyRequirement = {}): string {
    const scopes = [...new Set(requirement.scopes ?? [])].sort().join(' ');
    return createHash('sha256')
      .update(`${token}\n${scopes}\n${requirement.projectId ?? ''}`)
      .digest('base64url');
  }

  fresh(key: string): VerifiedToken | undefined {
    return this.read(key, 'freshUntil');
  }

  /** An answer past its freshness but within staleIfErrorMs: only for when the ledger is down. */
  stale(key: string): VerifiedToken | undefined {
    return this.read(key, 'staleUntil');
  }

  store(key: string, token: VerifiedToken): void {
    if (this.ttlMs <= 0 || this.maxEntries <= 0) return;
    const now = this.now();
    // Never beyond the token's own expiry.
    const expiresAt = token.expiresAt === null ? Infinity : Date.parse(token.expiresAt);
    const freshUntil = Math.min(now + this.ttlMs, expiresAt);
    if (freshUntil <= now) return;
    this.entries.delete(key);
    this.entries.set(key, { token, freshUntil, staleUntil: Math.min(freshUntil + this.staleIfErrorMs, expiresAt) });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  private read(key: string, until: 'freshUntil' | 'staleUntil'): VerifiedToken | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (entry.staleUntil <= now) {
      this.entries.delete(key);
      return undefined;
    }
    if (entry[until] <= now) return undefined;
    // Most recently used last: the first key is the one to evict.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.token;
  }
}
