import { readAllPages, type EventStore, type RecordedEvent } from '@ledger/event-store';
import { isTokenEvent } from '@ledger/token-domain';
import { evolveTokenRow, tokenRowId, TOKEN_LIST_EVENT_TYPES, type TokenRow } from '../token-list.projection';
import { NO_EVENTS, NO_TIME, planReplay } from './replay-plan';
import { TokenSnapshotFile, type StoredSnapshot } from './token-snapshot-file';
import { effectiveAt, TokenReplay } from './token-replay';

export interface TokenSnapshotOptions {
  /** Events between two snapshots: the most a replay reads past the one it starts from (plus stretches with late times). */
  every?: number;
  pageSize?: number;
}

const ROW_EVENTS = new Set<string>(TOKEN_LIST_EVENT_TYPES);

/** An unparseable time is folded at every instant: for the marks it is the earliest time there is. */
const markTime = (event: RecordedEvent): number => {
  const ms = effectiveAt(event);
  return Number.isNaN(ms) ? NO_TIME : ms;
};

/**
 * The token list at any instant, from the latest usable snapshot plus a replay of what follows
 * it (see planReplay), instead of a replay from position 0. Snapshots are taken every `every`
 * events of the log, lazily: a replay first extends them from the last one to the store's head.
 * Nothing stays in memory between questions: a question holds the rows it starts from (one
 * project's, read from the file through its index) and one page of events; an extension holds
 * every row once, like the read model's rebuild.
 */
export class TokenSnapshots {
  private marks: StoredSnapshot[];
  private extending: Promise<void> | null = null;
  private checking: Promise<boolean> | null = null;
  /** Head seen by the last extension that found too few events for a snapshot. */
  private scannedHead = -1;
  private readonly every: number;
  private readonly pageSize: number;

  constructor(
    private readonly file: TokenSnapshotFile,
    private readonly store: EventStore,
    options: TokenSnapshotOptions = {},
  ) {
    this.every = options.every ?? 10_000;
    this.pageSize = options.pageSize ?? 1000;
    if (!Number.isInteger(this.every) || this.every < 1) throw new RangeError(`snapshot interval must be a positive integer, got ${options.every}`);
    this.marks = file.snapshots();
  }

  static open(path: string, store: EventStore, options?: TokenSnapshotOptions): TokenSnapshots {
    return new TokenSnapshots(TokenSnapshotFile.open(path), store, options);
  }

  /** Positions of the snapshots taken so far. */
  get positions(): number[] {
    return this.marks.map((m) => m.position);
  }

  /**
   * Drops every snapshot when the last one is not in the store as recorded (a store replaced or
   * restored from an older backup), as the read model is rebuilt when it is ahead of the store.
   * Returns whether it did. Runs once, before the first extension.
   */
  check(): Promise<boolean> {
    // A store that could not answer is asked again next time.
    this.checking ??= this.dropIfNotOfThisStore().catch((error: unknown) => {
      this.checking = null;
      throw error;
    });
    return this.checking;
  }

  private async dropIfNotOfThisStore(): Promise<boolean> {
    const last = this.marks.at(-1);
    if (!last) return false;
    const head = await this.store.headPosition();
    // Positions need not be consecutive (EventStoreDB's are log offsets): read after the one before.
    const [event] = last.position <= head ? await this.store.readAll({ after: last.previousPosition, maxCount: 1 }) : [];
    if (event?.position === last.position && event.id === last.eventId) return false;
    this.file.dropFrom(0);
    this.marks = [];
    return true;
  }

  /** Takes the snapshots the log has grown enough for since the last one. One extension at a time. */
  extend(): Promise<void> {
    this.extending ??= this.extendToHead().finally(() => (this.extending = null));
    return this.extending;
  }

  /** The token list (one project's, if given) as it stood at `asOf`: equal to replayTokens over the whole log. */
  async replay(asOf: Date, projectId?: string): Promise<TokenRow[]> {
    await this.extend();
    const plan = planReplay(this.marks, asOf.getTime());
    const replay = new TokenReplay(asOf, projectId, plan.start ? this.file.rowsAt(plan.start.position, projectId) : []);
    for (const range of plan.ranges) {
      for await (const page of readAllPages(this.store, { ...range, pageSize: this.pageSize })) replay.addAll(page);
    }
    return [...replay.rows.values()];
  }

  /** Lets an extension under way finish (or fail: it is taken again next time) before closing the file. */
  async close(): Promise<void> {
    await this.extending?.catch(() => undefined);
    this.file.close();
  }

  private async extendToHead(): Promise<void> {
    await this.check();
    const last = this.marks.at(-1);
    const from = last?.position ?? 0;
    const head = await this.store.headPosition();
    // Positions grow by at least one per event: fewer positions than `every` means fewer events.
    if (head - from < this.every || head === this.scannedHead) return;
    const rows = last ? this.file.rowsAt(last.position) : new Map<string, TokenRow>();
    let changed = new Map<string, TokenRow>();
    let maxTime = last?.maxTime ?? NO_TIME;
    let chunkMinTime = NO_EVENTS;
    let count = 0;
    let previousPosition = from;
    for await (const page of readAllPages(this.store, { after: from, until: head, pageSize: this.pageSize })) {
      for (const event of page) {
        if (isTokenEvent(event) && ROW_EVENTS.has(event.type)) {
          const id = tokenRowId(event);
          const row = evolveTokenRow(rows.get(id) ?? null, event);
          if (row) {
            rows.set(id, row);
            changed.set(id, row);
          }
          const time = markTime(event);
          maxTime = Math.max(maxTime, time);
          chunkMinTime = Math.min(chunkMinTime, time);
        }
        const before = previousPosition;
        previousPosition = event.position;
        if (++count < this.every) continue;
        const mark = { position: event.position, eventId: event.id, previousPosition: before, maxTime, chunkMinTime };
        this.file.write(mark, changed.values());
        this.marks.push(mark);
        changed = new Map();
        chunkMinTime = NO_EVENTS;
        count = 0;
      }
    }
    this.scannedHead = head;
  }
}
