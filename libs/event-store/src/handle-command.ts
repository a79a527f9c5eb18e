import { v7 as timeOrderedUuid } from 'uuid';
import { SCHEMA_VERSION, type CommandContext, type EventMetadata } from './event-metadata';
import type { EventStore, GlobalPosition, RecordedEvent } from './event-store.port';
import { WrongExpectedRevisionError } from './event-store.port';
import { eventHash, GENESIS_HASH } from './hash-chain';

type DomainEvent = { type: string; data: Record<string, unknown> };

export interface Decider<Command, Event extends DomainEvent, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
  /** Whether a stored event is one of this decider's (by its type): only those are folded. */
  isEvent<E extends { type: string }>(event: E): event is E & Event;
}

export interface CommandResult<Event, State> {
  /** The events appended (empty when the decision changed nothing). */
  appended: Array<Event & { id: string; metadata: EventMetadata }>;
  /**
   * Global position of the last appended event; when nothing was appended, of the last event
   * the decision was based on (null for an empty stream). Waiting for it gives read-your-writes.
   */
  position: GlobalPosition | null;
  /** State after the new events. */
  state: State;
}

/** The state a stream's events fold into. */
export function foldStream<Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState' | 'isEvent'>,
  history: RecordedEvent[],
): State {
  return history.reduce((s, e) => (decider.isEvent(e) ? decider.evolve(s, e) : s), decider.initialState());
}

/** Two writers decided on the same stale state; the loser's retries ran out. */
export class ConcurrencyConflictError extends Error {
  constructor(readonly streamId: string) {
    super(`stream ${streamId} was changed concurrently; retry the request`);
    this.name = 'ConcurrencyConflictError';
  }
}

/**
 * The one write path: read the stream, fold it, decide, append with the expected revision.
 * A conflict means someone else wrote in between, so the command is decided again on the
 * fresh state (`retries` times) before giving up with ConcurrencyConflictError.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  context: CommandContext,
  options: {
    retries?: number;
    occurredAt?: Date;
    eventIds?: string[];
    /**
     * The stream id was just minted (a new token's): the first decision is made on the initial
     * state without reading the stream. The append still expects no stream, so a stream that does
     * exist (a repeated command, an id clash) is read and decided again like any other conflict.
     */
    newStream?: boolean;
  } = {},
): Promise<CommandResult<Event, State>> {
  const retries = options.retries ?? 1;
  for (let attempt = 0; ; attempt++) {
    const history = attempt === 0 && options.newStream ? [] : await store.readStream(streamId);
    const state = foldStream(decider, history);
    const decided = decider.decide(command, state);
    if (decided.length === 0) return { appended: [], position: history.at(-1)?.position ?? null, state };

    const toAppend = chain(streamId, history, decided, context, options.occurredAt ?? new Date(), options.eventIds);
    try {
      const last = history.at(-1);
      const result = await store.appendToStream(streamId, toAppend, last ? last.revision : 'no_stream');
      return {
        appended: toAppend,
        position: result.position,
        state: decided.reduce((s, e) => decider.evolve(s, e), state),
      };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      // Unread, the stream was only assumed new: finding it there is not yet a conflict.
      if (attempt >= retries && !(attempt === 0 && options.newStream)) throw new ConcurrencyConflictError(streamId);
    }
  }
}

function chain<Event extends DomainEvent>(
  streamId: string,
  history: RecordedEvent[],
  decided: Event[],
  context: CommandContext,
  occurredAt: Date,
  // Given ids make the append a no-op when it was already recorded (a repeated or recovered command).
  eventIds: string[] = [],
): Array<Event & { id: string; metadata: EventMetadata }> {
  const last = history.at(-1);
  let prevHash = last ? eventHash(last) : GENESIS_HASH;
  let revision = last ? last.revision : -1;
  return decided.map((event, index) => {
    const metadata: EventMetadata = {
      ...context,
      schemaVersion: SCHEMA_VERSION,
      occurredAt: occurredAt.toISOString(),
      prevHash,
    };
    // UUIDv7: the stores index event ids, and ids that sort by time are added at the index's end
    // instead of on a random page that the commit must write again (docs/performance.md).
    const appended = { ...event, id: eventIds[index] ?? timeOrderedUuid(), metadata };
    revision++;
    // Only a following event needs this one's hash; the next command reads it from the store.
    if (index < decided.length - 1) prevHash = eventHash({ ...appended, streamId, revision });
    return appended;
  });
}
