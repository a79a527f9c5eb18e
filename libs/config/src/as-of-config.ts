import { ConfigError } from './config-values';

/**
 * ASOF_SNAPSHOT_EVERY: events between two snapshots of the token list. An `asOf` list reads at
 * most about this many events past its snapshot; each snapshot stores the rows changed since
 * the previous one, so a smaller interval costs disk (and time to take them), not memory.
 */
export function asOfSnapshotEvery(value: string | undefined): number {
  if (value === undefined || value === '') return 10_000;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 100 || n > 10_000_000) {
    throw new ConfigError('ASOF_SNAPSHOT_EVERY', `must be a whole number of events from 100 to 10000000 (got "${value}")`);
  }
  return n;
}
