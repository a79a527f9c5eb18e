import { Gauge, type Registry } from 'prom-client';
import type { TokenIndex } from '@ledger/projections';

/** Expiry moves tokens between statuses without an event: recount at least this often. */
const MAX_AGE_MS = 15_000;

/**
 * Tokens by project and status, counted from the in-memory index (one pass over its columns,
 * no read-model query) and only when the index moved on or the last count is MAX_AGE_MS old:
 * frequent scrapes of a quiet ledger cost nothing.
 */
export function registerTokenMetrics(registry: Registry, index: TokenIndex, position: () => number, now: () => number = Date.now): void {
  let counted: { position: number; at: number } | null = null;
  new Gauge({
    name: 'ledger_tokens',
    help: 'Tokens by project and status (active, expired, revoked) in the read model',
    labelNames: ['project', 'status'],
    registers: [registry],
    collect() {
      const at = now();
      if (counted !== null && counted.position === position() && at - counted.at < MAX_AGE_MS) return;
      counted = { position: position(), at };
      for (const [project, byStatus] of index.countByProjectAndStatus(at)) {
        for (const [status, n] of Object.entries(byStatus)) this.set({ project, status }, n);
      }
    },
  });
}
