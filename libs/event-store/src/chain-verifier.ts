import { createHash } from 'node:crypto';
import type { EventStore, RecordedEvent } from './event-store.port';
import type { HashableEvent } from './hash-chain';
import { eventHash, GENESIS_HASH } from './hash-chain';
import { readAllPages } from './read-all-pages';

/** An event as the verifier needs it: what the hash covers, plus where it sits in the log. */
export interface VerifiableEvent extends HashableEvent {
  position: number;
  /** The hash an export line claims for this event (checked when present). */
  hash?: string;
}

export type ChainBreakReason =
  /** The event's bytes no longer hash to the prevHash its successor recorded. */
  | 'altered'
  /** The event's own hash field (in an export) does not match its content. */
  | 'hash_mismatch'
  /** The first event of a stream does not start from the genesis hash. */
  | 'bad_genesis'
  /** Revisions jump or repeat: events were removed, reordered or inserted. */
  | 'revision_gap';

export interface ChainBreak {
  /** The event named as broken. */
  position: number;
  eventId: string;
  streamId: string;
  revision: number;
  type: string;
  reason: ChainBreakReason;
  message: string;
}

export interface ChainReport {
  ok: boolean;
  streams: number;
  events: number;
  /** Position of the last event checked (0 when none). */
  lastPosition: number;
  /** Digest of every checked event hash in order: see `nextHead`. */
  head: string;
  /** Breaks ordered by the position of the event they name; the first is the first broken event. */
  broken: ChainBreak[];
  /** All breaks found (`broken` keeps at most `maxBroken`). */
  brokenCount: number;
  /** The comparison with a head recorded earlier, when one was given. */
  anchor?: AnchorCheck;
}

/** A head recorded earlier (an export's trailer, a previous verify) at a position. */
export interface ChainAnchor {
  position: number;
  head: string;
}

export interface AnchorCheck extends ChainAnchor {
  /** The head recomputed now at that position; null when no checked event sits at it. */
  actual: string | null;
  ok: boolean;
}

export interface ChainVerifierOptions {
  /**
   * An export may hold a slice of each stream (filtered by time, type, project): links are then
   * checked only between events that are consecutive revisions in the slice, and missing
   * revisions are kept aside (`gaps()`) for a caller who learns later that nothing was left out.
   */
  partial?: boolean;
  maxBroken?: number;
  /**
   * Recompute the head at this position and compare: the head pins every event up to it, the
   * last event of each stream included, which no later link covers.
   */
  anchor?: ChainAnchor;
}

/**
 * The running head over a sequence of events: SHA-256 hex of the previous head (hex) followed by
 * the event's hash (hex), starting from GENESIS_HASH. One value pins down every event before it.
 */
export function nextHead(head: string, hash: string): string {
  return createHash('sha256')
    .update(head + hash)
    .digest('hex');
}

type EventName = Pick<VerifiableEvent, 'position' | 'id' | 'streamId' | 'revision' | 'type'>;

/** The last event seen of a stream: its hash and its name only (never its data). */
interface StreamTip {
  revision: number;
  hash: string;
  event: EventName;
}

/**
 * Recomputes every stream's hash chain from events fed in global order. Holds one tip per
 * stream, never the events, so it checks a ledger of any length in bounded memory.
 */
export class ChainVerifier {
  private readonly tips = new Map<string, StreamTip>();
  private readonly breaks: ChainBreak[] = [];
  private readonly skipped: ChainBreak[] = [];
  private brokenCount = 0;
  private events = 0;
  private lastPosition = 0;
  private head = GENESIS_HASH;
  private anchorHead: string | null = null;

  constructor(private readonly options: ChainVerifierOptions = {}) {}

  add(event: VerifiableEvent): void {
    const hash = eventHash(event);
    this.events++;
    this.lastPosition = event.position;
    this.head = nextHead(this.head, hash);
    if (event.position === this.options.anchor?.position) this.anchorHead = this.head;
    if (event.hash !== undefined && event.hash !== hash) {
      this.break(event, 'hash_mismatch', 'its content does not hash to the hash recorded with it');
    }
    const tip = this.tips.get(event.streamId);
    const { position, id, streamId, revision, type } = event;
    this.tips.set(streamId, { revision, hash, event: { position, id, streamId, revision, type } });
    const prevHash = (event.metadata as { prevHash?: unknown } | null)?.prevHash;
    if (!tip) {
      if (event.revision === 0) {
        if (prevHash !== GENESIS_HASH) this.break(event, 'bad_genesis', 'the first event of its stream does not start from the genesis hash');
      } else {
        this.gap(event, `its stream starts at revision ${event.revision}, not 0: earlier events are missing`);
      }
      return;
    }
    if (event.revision <= tip.revision) {
      this.break(event, 'revision_gap', `revision ${event.revision} follows revision ${tip.revision} of its stream`);
      return;
    }
    if (event.revision !== tip.revision + 1) {
      this.gap(event, `revision ${event.revision} follows revision ${tip.revision} of its stream`);
      return;
    }
    if (prevHash !== tip.hash) {
      // The link from this event to its predecessor no longer holds: the predecessor's bytes
      // changed (or this event's prevHash did). The chain is broken from the predecessor on.
      this.break(tip.event, 'altered', `it no longer hashes to the prevHash recorded by the next event (position ${event.position})`);
    }
  }

  report(): ChainReport {
    const broken = [...this.breaks].sort((a, b) => a.position - b.position);
    const { anchor } = this.options;
    const anchorCheck = anchor && { ...anchor, actual: this.anchorHead, ok: this.anchorHead === anchor.head };
    return {
      ...(anchorCheck ? { anchor: anchorCheck } : {}),
      ok: this.brokenCount === 0 && (anchorCheck?.ok ?? true),
      streams: this.tips.size,
      events: this.events,
      lastPosition: this.lastPosition,
      head: this.head,
      broken,
      brokenCount: this.brokenCount,
    };
  }

  /**
   * Missing revisions that a partial check let pass. Once the caller knows the slice was whole
   * after all (an unfiltered export's trailer says so), they are breaks: `addBreaks(gaps())`.
   */
  gaps(): ChainBreak[] {
    return [...this.skipped];
  }

  addBreaks(breaks: ChainBreak[]): void {
    for (const b of breaks) this.record(b);
  }

  private gap(event: EventName, why: string): void {
    if (!this.options.partial) return this.break(event, 'revision_gap', why);
    if (this.skipped.length < (this.options.maxBroken ?? 100)) this.skipped.push(breakOf(event, 'revision_gap', why));
  }

  private break(event: EventName, reason: ChainBreakReason, why: string): void {
    this.record(breakOf(event, reason, why));
  }

  private record(found: ChainBreak): void {
    this.brokenCount++;
    if (this.breaks.length < (this.options.maxBroken ?? 100)) this.breaks.push(found);
  }
}

function breakOf(event: EventName, reason: ChainBreakReason, why: string): ChainBreak {
  return {
    position: event.position,
    eventId: event.id,
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    reason,
    message: `event ${event.id} at position ${event.position} (${event.streamId} revision ${event.revision}, ${event.type}): ${why}`,
  };
}

/** Recomputes the chains of every stream in the store (or of the events `include` keeps). */
export async function verifyEventStore(store: EventStore, include: (event: RecordedEvent) => boolean = () => true, anchor?: ChainAnchor): Promise<ChainReport> {
  const verifier = new ChainVerifier({ anchor });
  for await (const page of readAllPages(store)) {
    for (const event of page) if (include(event)) verifier.add(event);
  }
  return verifier.report();
}
