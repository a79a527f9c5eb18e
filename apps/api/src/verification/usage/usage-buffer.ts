import { redactTokenValues } from '@ledger/token-domain';

/** Uses of one token since the last flush. */
export interface PendingUsage {
  tokenId: string;
  projectId: string;
  count: number;
  firstUsedAt: number;
  lastUsedAt: number;
  lastIp: string | null;
  lastUserAgent: string | null;
}

/**
 * Uses counted in memory, one entry per token, so that a verify costs a map update and never a
 * write; the flusher records each entry as one TokenUsed per window. Uses not yet flushed are
 * lost if the process dies (kill -9): a last-used date is a hint for clean-up, not an audit fact.
 */
export class UsageBuffer {
  private pending = new Map<string, PendingUsage>();

  get size(): number {
    return this.pending.size;
  }

  record(token: { id: string; projectId: string }, at: number, ip: string | null, userAgent: string | null): void {
    const entry = this.pending.get(token.id);
    if (entry) {
      entry.count++;
      if (at >= entry.lastUsedAt) {
        entry.lastUsedAt = at;
        entry.lastIp = ip;
        entry.lastUserAgent = userAgent;
      }
      return;
    }
    this.pending.set(token.id, {
      tokenId: token.id,
      projectId: token.projectId,
      count: 1,
      firstUsedAt: at,
      lastUsedAt: at,
      lastIp: ip,
      lastUserAgent: userAgent,
    });
  }

  /**
   * Everything buffered so far; new uses go into a fresh window. The user agent goes into a
   * TokenUsed event, so a token value in it is redacted here (once per window, not per verify).
   */
  drain(): PendingUsage[] {
    const drained = [...this.pending.values()].map((u) => (u.lastUserAgent ? { ...u, lastUserAgent: redactTokenValues(u.lastUserAgent) } : u));
    this.pending = new Map();
    return drained;
  }

  /** Puts back a window that could not be recorded, merging it with uses counted since. */
  restore(usage: PendingUsage): void {
    const entry = this.pending.get(usage.tokenId);
    if (!entry) {
      this.pending.set(usage.tokenId, { ...usage });
      return;
    }
    entry.count += usage.count;
    entry.firstUsedAt = Math.min(entry.firstUsedAt, usage.firstUsedAt);
    if (usage.lastUsedAt > entry.lastUsedAt) Object.assign(entry, { lastUsedAt: usage.lastUsedAt, lastIp: usage.lastIp, lastUserAgent: usage.lastUserAgent });
  }
}
