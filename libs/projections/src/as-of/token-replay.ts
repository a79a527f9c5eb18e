import type { RecordedEvent } from '@ledger/event-store';
import { isTokenEvent } from '@ledger/token-domain';
import { evolveTokenRow, tokenRowId, type TokenRow } from '../token-list.projection';

/**
 * When an event's fact took effect: metadata.occurredAt, the clock of the command that decided
 * it (covered by the hash chain), or recordedAt for events written without one.
 */
export function eventTime(event: Pick<RecordedEvent, 'metadata' | 'recordedAt'>): string {
  const occurredAt = event.metadata.occurredAt;
  return typeof occurredAt === 'string' ? occurredAt : event.recordedAt;
}

/** eventTime in ms; NaN when it does not parse (such an event is folded at every instant). */
export const effectiveAt = (event: Pick<RecordedEvent, 'metadata' | 'recordedAt'>): number => Date.parse(eventTime(event));

/**
 * The token list as it stood at `asOf`: the token list projection's own fold over the events
 * that took effect at or before that instant. Events are fed in global order.
 */
export class TokenReplay {
  readonly rows: Map<string, TokenRow>;
  private readonly asOfMs: number;

  /** `from`: the rows of a snapshot taken before the instant (see TokenSnapshots), else none. */
  constructor(
    readonly asOf: Date,
    private readonly projectId?: string,
    from: Iterable<[string, TokenRow]> = [],
  ) {
    this.asOfMs = asOf.getTime();
    this.rows = new Map(from);
  }

  add(event: RecordedEvent): void {
    if (!isTokenEvent(event)) return;
    if (this.projectId !== undefined && event.data.projectId !== this.projectId) return;
    if (effectiveAt(event) > this.asOfMs) return;
    const id = tokenRowId(event);
    const row = evolveTokenRow(this.rows.get(id) ?? null, event);
    if (row) this.rows.set(id, row);
  }

  addAll(events: Iterable<RecordedEvent>): this {
    for (const event of events) this.add(event);
    return this;
  }
}

/** Replays pages of the global stream (see readAllPages) up to `asOf`. */
export async function replayTokens(pages: AsyncIterable<RecordedEvent[]>, asOf: Date, projectId?: string): Promise<TokenRow[]> {
  const replay = new TokenReplay(asOf, projectId);
  for await (const page of pages) replay.addAll(page);
  return [...replay.rows.values()];
}

/** One token as it stood at `asOf`, from its own stream; null if it did not exist yet. */
export function tokenAsOf(stream: RecordedEvent[], asOf: Date): TokenRow | null {
  const replay = new TokenReplay(asOf).addAll(stream);
  return replay.rows.values().next().value ?? null;
}
