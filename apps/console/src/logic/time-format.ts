const UNITS: Array<[string, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "3 days ago", "in 5 hours": the largest whole unit, for tables (the exact time goes on hover). */
export function relativeTime(iso: string | null, now: Date = new Date()): string {
  if (!iso) return '—';
  const diff = Date.parse(iso) - now.getTime();
  const abs = Math.abs(diff);
  if (abs < 1000) return 'just now';
  const [unit, ms] = UNITS.find(([, size]) => abs >= size) ?? UNITS[UNITS.length - 1];
  const n = Math.floor(abs / ms);
  const words = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return diff < 0 ? `${words} ago` : `in ${words}`;
}

/** The exact instant, in UTC, as the API states it (ISO 8601 without milliseconds). */
export function exactTime(iso: string | null): string {
  if (!iso) return '';
  return new Date(iso).toISOString().replace('.000Z', 'Z');
}

/** For <input type="datetime-local"> in UTC: "2026-03-01T00:00". */
export function toLocalInput(iso: string): string {
  return new Date(iso).toISOString().slice(0, 16);
}

/** Back from the input, read as UTC. Null when the input is incomplete. */
export function fromLocalInput(value: string): string | null {
  const ms = Date.parse(`${value}Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
