/** The fields of a TokenUsed event the chart needs (coalesced: `count` uses in one flush window). */
export interface UsageEvent {
  type: string;
  data: { count?: number; firstUsedAt?: string; lastUsedAt?: string };
}

export interface DayCount {
  day: string; // YYYY-MM-DD, UTC
  count: number;
}

/**
 * Uses per UTC day over the last `days` days ending at `now`, from a token's TokenUsed events.
 * A window's count goes to the day of its last use: a flush window is at most minutes long, so
 * one straddling midnight moves a few uses by a day at worst.
 */
export function usesPerDay(events: UsageEvent[], now: Date, days = 30): DayCount[] {
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const result: DayCount[] = [];
  for (let i = days - 1; i >= 0; i--) result.push({ day: new Date(end - i * 86_400_000).toISOString().slice(0, 10), count: 0 });
  const byDay = new Map(result.map((entry) => [entry.day, entry]));
  for (const event of events) {
    if (event.type !== 'TokenUsed') continue;
    const at = event.data.lastUsedAt ?? event.data.firstUsedAt;
    const entry = at ? byDay.get(at.slice(0, 10)) : undefined;
    if (entry) entry.count += event.data.count ?? 1;
  }
  return result;
}
