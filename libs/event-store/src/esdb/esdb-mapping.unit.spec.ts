import { randomUUID } from 'node:crypto';
// The client's transport, for the gRPC metadata its NotLeaderError is built from.
import { Metadata } from '@grpc/grpc-js';
import {
  ANY,
  NO_STREAM,
  NotLeaderError,
  StreamNotFoundError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  type AllStreamRecordedEvent,
} from './esdb-client';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.port';
import { fromCurrentRevision, isUnavailable, toPortError } from './esdb-errors';
import { NO_POSITION, isLedgerEvent, readPosition, toEsdbExpected, toEsdbPosition, toEventData, toGlobalPosition, toRecorded } from './esdb-mapping';

/** Mapping between the port and the client's own types, checked without a server. */
describe('EventStoreDB mapping', () => {
  describe('expected revisions', () => {
    it('maps no_stream, any and numbers to the client constants and bigints', () => {
      expect(toEsdbExpected('no_stream')).toBe(NO_STREAM);
      expect(toEsdbExpected('any')).toBe(ANY);
      expect(toEsdbExpected(0)).toBe(0n);
      expect(toEsdbExpected(41)).toBe(41n);
    });

    it('refuses what the client would send as a special value or round: negatives, fractions, past 2^53', () => {
      for (const bad of [-1, -2, -3, 0.5, 2 ** 53, Number.POSITIVE_INFINITY]) expect(() => toEsdbExpected(bad)).toThrow(RangeError);
      expect(toEsdbExpected(Number.MAX_SAFE_INTEGER)).toBe(9_007_199_254_740_991n);
    });

    it('reads the current revision back as a number, -1 for a missing stream', () => {
      expect(fromCurrentRevision(NO_STREAM)).toBe(-1);
      expect(fromCurrentRevision(0n)).toBe(0);
      expect(fromCurrentRevision(123456789n)).toBe(123456789);
      expect(() => fromCurrentRevision(2n ** 60n)).toThrow(RangeError);
    });
  });

  describe('positions', () => {
    it('is the commit position when commit and prepare agree (every non-transactional append)', () => {
      expect(toGlobalPosition({ commit: 0n, prepare: 0n })).toBe(0);
      expect(toGlobalPosition({ commit: 4_294_967_296_123n, prepare: 4_294_967_296_123n })).toBe(4_294_967_296_123);
    });

    it('round-trips a number to the position a read or subscription starts from', () => {
      for (const n of [1, 2113, 9_007_199_254_740_991]) expect(toGlobalPosition(toEsdbPosition(n))).toBe(n);
      expect(toEsdbPosition(18_000)).toEqual({ commit: 18_000n, prepare: 18_000n });
    });

    it('refuses what one number cannot hold: a transaction position, more than 2^53, a fraction', () => {
      expect(() => toGlobalPosition({ commit: 500n, prepare: 420n })).toThrow(/transaction/);
      expect(() => toGlobalPosition({ commit: 2n ** 53n, prepare: 2n ** 53n })).toThrow(RangeError);
      expect(() => toEsdbPosition(1.5)).toThrow(RangeError);
      expect(() => toEsdbPosition(-1)).toThrow(RangeError);
    });

    it('reads the server’s "no position" (2^64-1, stream reads before 22.6) as absent, not as a number', () => {
      expect(readPosition({ commit: NO_POSITION, prepare: NO_POSITION })).toBeUndefined();
      expect(readPosition(undefined)).toBeUndefined();
      expect(readPosition({ commit: 77n, prepare: 77n })).toBe(77);
      expect(() => toRecorded(recorded({ position: { commit: NO_POSITION, prepare: NO_POSITION } }))).toThrow(/22\.6 or later/);
    });

    it('keeps the order of the log', () => {
      const positions = [
        { commit: 10n, prepare: 10n },
        { commit: 311n, prepare: 311n },
        { commit: 2n ** 40n, prepare: 2n ** 40n },
      ];
      const numbers = positions.map(toGlobalPosition);
      expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
    });
  });

  describe('errors', () => {
    it('turns a wrong expected version into the port conflict, with the actual revision', () => {
      const stale = new WrongExpectedVersionError(undefined, { streamName: 'token-a', expected: 0n, current: 3n });
      const error = toPortError(stale, 'token-a', 0);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamId: 'token-a', expected: 0, actual: 3 });

      const missing = new WrongExpectedVersionError(undefined, { streamName: 'token-b', expected: 2n, current: NO_STREAM });
      expect(toPortError(missing, 'token-b', 2)).toMatchObject({ expected: 2, actual: -1 });

      const exists = new WrongExpectedVersionError(undefined, { streamName: 'token-c', expected: NO_STREAM, current: 0n });
      expect(toPortError(exists, 'token-c', 'no_stream')).toMatchObject({ expected: 'no_stream', actual: 0 });
    });

    it('turns an unreachable or leaderless server into EventStoreUnavailableError', () => {
      const grpcUnavailable = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
      expect(toPortError(new UnavailableError(), 's', 'any')).toBeInstanceOf(EventStoreUnavailableError);
      expect(toPortError(grpcUnavailable, 's', 'any')).toBeInstanceOf(EventStoreUnavailableError);
      // The client's own error for "this node is a follower", built from the gRPC error it wraps.
      const metadata = new Metadata();
      metadata.set('leader-endpoint-host', 'node2');
      metadata.set('leader-endpoint-port', '2113');
      const notLeader = new NotLeaderError(Object.assign(new Error('not leader'), { code: 5, details: '', metadata }));
      expect(notLeader.leader).toEqual({ address: 'node2', port: 2113 });
      expect(toPortError(notLeader, 's', 'any')).toBeInstanceOf(EventStoreUnavailableError);
    });

    it('passes anything else on untouched', () => {
      const unknown = new UnknownError();
      expect(toPortError(unknown, 's', 'any')).toBe(unknown);
      expect(isUnavailable(new StreamNotFoundError(undefined, 's'))).toBe(false);
    });
  });

  describe('events', () => {
    it('writes a JSON event with the caller’s id, so a retry is recognised by the server', () => {
      const id = randomUUID();
      const data = toEventData({ id, type: 'TokenRevoked', data: { tokenId: 't' }, metadata: { actor: 'x' } });
      expect(data).toMatchObject({ id, type: 'TokenRevoked', contentType: 'application/json', data: { tokenId: 't' }, metadata: { actor: 'x' } });
    });

    it('reads a recorded event into the port shape', () => {
      const created = new Date('2026-03-01T12:00:00.123Z');
      const event = recorded({ revision: 7n, position: { commit: 9000n, prepare: 9000n }, created });
      expect(toRecorded(event)).toEqual({
        id: event.id,
        streamId: 'token-tok_1',
        revision: 7,
        position: 9000,
        type: 'TokenCreated',
        data: { tokenId: 'tok_1' },
        metadata: { schemaVersion: 1 },
        recordedAt: '2026-03-01T12:00:00.123Z',
      });
    });

    it('reads missing metadata as {} and refuses binary data', () => {
      expect(toRecorded(recorded({ metadata: undefined })).metadata).toEqual({});
      expect(() => toRecorded(recorded({ data: new Uint8Array([1]) as never, isJson: false as never }))).toThrow(/not a JSON object/);
    });

    it('keeps only the ledger’s streams of $all: no system streams, no other prefixes, no links', () => {
      const prefixes = ['token-'];
      expect(isLedgerEvent(recorded({ streamId: 'token-tok_1' }), prefixes)).toBe(true);
      expect(isLedgerEvent(recorded({ streamId: '$stats-127.0.0.1:2113' }), prefixes)).toBe(false);
      expect(isLedgerEvent(recorded({ streamId: '$$token-x' }), ['$$token-'])).toBe(false);
      expect(isLedgerEvent(recorded({ streamId: 'orders-1' }), prefixes)).toBe(false);
      expect(isLedgerEvent(undefined, prefixes)).toBe(false);
    });
  });
});

function recorded(overrides: Partial<AllStreamRecordedEvent> = {}): AllStreamRecordedEvent {
  return {
    id: randomUUID(),
    streamId: 'token-tok_1',
    revision: 0n,
    type: 'TokenCreated',
    isJson: true,
    created: new Date(),
    data: { tokenId: 'tok_1' },
    metadata: { schemaVersion: 1 },
    position: { commit: 100n, prepare: 100n },
    ...overrides,
  } as AllStreamRecordedEvent;
}
