import { ConfigError } from './config-values';

export const DEFAULT_MAX_ACTIVE_TOKENS_PER_PROJECT = 10_000;

/** MAX_ACTIVE_TOKENS_PER_PROJECT: a whole number from 1 to 10,000,000 (default 10,000). */
export function maxActiveTokensPerProject(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_MAX_ACTIVE_TOKENS_PER_PROJECT;
  const n = Number(value.trim());
  if (!/^\d{1,8}$/.test(value.trim()) || n < 1 || n > 10_000_000) {
    throw new ConfigError('MAX_ACTIVE_TOKENS_PER_PROJECT', `must be a whole number from 1 to 10000000 (got "${value}")`);
  }
  return n;
}
