/**
 * Durations are `<n>s|m|h|d|y` or a plain number of seconds (docs/api.md, "Durations").
 * A year is 365 days: tokens expire on a fixed instant, not on a calendar date.
 */
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, y: 365 * 86_400 };
const DURATION_PATTERN = /^(\d{1,10})([smhdy])?$/;

/** Seconds, or null when the input is not a duration. */
export function parseDuration(input: string | number): number | null {
  if (typeof input === 'number') {
    return Number.isSafeInteger(input) && input >= 0 ? input : null;
  }
  const match = DURATION_PATTERN.exec(input.trim());
  if (!match) return null;
  return Number(match[1]) * UNIT_SECONDS[match[2] ?? 's'];
}

export const DURATION_FORMAT_HINT = 'a duration like "45s", "30m", "24h", "90d", "1y" or a number of seconds';

/**
 * The longest a token may live, by expiresIn or expiresAt: 100 years. It keeps every expiry a
 * four-digit-year instant that a Date holds and that sorts as text (`+101960-…` did not), and
 * is far beyond any real credential's life.
 */
export const MAX_LIFETIME_SECONDS = 100 * UNIT_SECONDS.y;
