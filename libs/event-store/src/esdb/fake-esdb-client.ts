import { PassThrough, Readable } from 'node:stream';
import { Metadata } from '@grpc/grpc-js';
import {
  BACKWARDS,
  END,
  START,
  StreamNotFoundError,
  convertToCommandError,
  type AllStreamRecordedEvent,
  type EsdbAppendResult,
  type EsdbReadAllOptions,
  type EsdbReadStreamOptions,
  type EventData,
  type EsdbClient,
  type SubscribeToAllOptions,
} from './esdb-client';

/*
 * A FAKE of the @eventstore/db-client client, for tests that need no server. It answers the way
 * a real EventStoreDB does, in the client's own result shapes and error classes (built with the
 * client's convertToCommandError from the gRPC errors it receives), and records what the
 * adapter sent and whether every read was cancelled. It is not a database: what it answers is
 * scripted by the test, and the contract suite against a real server stays the real check.
 */

export type AppendReply = EsdbAppendResult | Error;

export interface FakeRead {
  kind: 'stream' | 'all';
  streamId?: string;
  options: EsdbReadStreamOptions | EsdbReadAllOptions;
  /** The adapter called cancel(): the gRPC call ends on the server. */
  cancelled: boolean;
  /** Everything the server would send was consumed: the call ended by itself. */
  exhausted: boolean;
}

export type FakeSubscription = PassThrough & { options: SubscribeToAllOptions; unsubscribe(): Promise<void> };

/** A gRPC error as @grpc/grpc-js hands it to the client, converted the way the client converts it. */
export function grpcError(code: number, details: string, metadata: Record<string, string> = {}): Error {
  const grpcMetadata = new Metadata();
  for (const [key, value] of Object.entries(metadata)) grpcMetadata.set(key, value);
  const names: Record<number, string> = { 4: 'DEADLINE_EXCEEDED', 7: 'PERMISSION_DENIED', 13: 'INTERNAL', 14: 'UNAVAILABLE', 16: 'UNAUTHENTICATED' };
  const raw = Object.assign(new Error(`${code} ${names[code] ?? 'ERROR'}: ${details}`), { code, details, metadata: grpcMetadata });
  return convertToCommandError(raw);
}

export class FakeEsdbClient {
  readonly appends: Array<{ streamId: string; events: EventData[]; options: Record<string, unknown> }> = [];
  readonly reads: FakeRead[] = [];
  readonly subscriptions: FakeSubscription[] = [];
  /** Replies to the next appends, in order. */
  readonly appendReplies: AppendReply[] = [];
  /** $all in log order. */
  all: AllStreamRecordedEvent[] = [];
  /** Streams as a stream read returns them (positions as the server reports them there). */
  readonly streams = new Map<string, AllStreamRecordedEvent[]>();
  /** Errors the next reads fail with, before sending anything. */
  readonly readFailures: Error[] = [];
  /** What the server's ServerFeatures call answers ("unknown" before 21.10), or an error. */
  serverVersion: string | Error = '24.10.0';
  versionQueries = 0;

  /** The client's (protected) server features, fetched once per connection. */
  get capabilities(): Promise<{ serverVersion: string }> {
    this.versionQueries++;
    const version = this.serverVersion;
    return version instanceof Error ? Promise.reject(version) : Promise.resolve({ serverVersion: version });
  }

  get client(): EsdbClient {
    return this;
  }

  /** Reads whose gRPC call is still open on the server: neither read to the end nor cancelled. */
  openReads(): FakeRead[] {
    return this.reads.filter((r) => !r.cancelled && !r.exhausted);
  }

  async appendToStream(streamId: string, events: EventData | EventData[], options: Record<string, unknown> = {}): Promise<EsdbAppendResult> {
    this.appends.push({ streamId, events: Array.isArray(events) ? events : [events], options });
    const reply = this.appendReplies.shift();
    if (!reply) throw new Error('fake client: no reply scripted for this append');
    if (reply instanceof Error) throw reply;
    return reply;
  }

  readStream(streamId: string, options: EsdbReadStreamOptions = {}): Readable & { cancel(): Promise<void> } {
    const events = this.streams.get(streamId);
    const from = options.fromRevision === undefined || options.fromRevision === START ? 0 : Number(options.fromRevision);
    const items = (events ?? []).slice(from, from + Number(options.maxCount ?? Number.MAX_SAFE_INTEGER)).map((event) => ({ event }));
    return this.read(
      { kind: 'stream', streamId, options, cancelled: false, exhausted: false },
      items,
      events ? undefined : new StreamNotFoundError(undefined, streamId),
    );
  }

  /** From START/END or a position, which the server includes in the read either way. */
  readAll(options: EsdbReadAllOptions = {}): Readable & { cancel(): Promise<void> } {
    const backwards = options.direction === BACKWARDS;
    const ordered = backwards ? [...this.all].reverse() : this.all;
    const from = options.fromPosition ?? (backwards ? END : START);
    const start =
      from === START || from === END
        ? 0
        : Math.max(
            0,
            ordered.findIndex((e) => (backwards ? e.position.commit <= from.commit : e.position.commit >= from.commit)),
          );
    const inRange = from === START || from === END || ordered.some((e) => (backwards ? e.position.commit <= from.commit : e.position.commit >= from.commit));
    const items = inRange ? ordered.slice(start, start + Number(options.maxCount ?? Number.MAX_SAFE_INTEGER)).map((event) => ({ event })) : [];
    return this.read({ kind: 'all', options, cancelled: false, exhausted: false }, items);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): FakeSubscription {
    const stream = new PassThrough({ objectMode: true, highWaterMark: 4 }) as FakeSubscription;
    stream.options = options;
    stream.unsubscribe = async () => void stream.destroy();
    this.subscriptions.push(stream);
    return stream;
  }

  async dispose(): Promise<void> {
    for (const s of this.subscriptions) s.destroy();
  }

  private read(record: FakeRead, items: unknown[], notFound?: Error): Readable & { cancel(): Promise<void> } {
    this.reads.push(record);
    const failure = this.readFailures.shift() ?? notFound;
    async function* serve() {
      if (failure) throw failure;
      for (const item of items) yield item;
      record.exhausted = true;
    }
    const read = Readable.from(serve(), { objectMode: true, highWaterMark: 1 }) as Readable & { cancel(): Promise<void> };
    read.cancel = async () => {
      record.cancelled = true;
      read.destroy();
    };
    return read;
  }
}

/** An event as the server records it: commit == prepare == its log position. */
export function recordedEvent(streamId: string, revision: number, position: bigint, id: string): AllStreamRecordedEvent {
  return {
    id,
    streamId,
    revision: BigInt(revision),
    type: 'TokenCreated',
    isJson: true,
    created: new Date('2026-03-01T12:00:00.000Z'),
    data: { revision },
    metadata: {},
    position: { commit: position, prepare: position },
  };
}
