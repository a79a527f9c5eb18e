/*
 * The one place the EventStoreDB client library is imported: the adapter, its tests and its
 * fake take every client type, constant and error class from here.
 *
 * Upstream renamed the package @kurrent/kurrentdb-client (same API lineage; the client class is
 * KurrentDBClient there). Moving to it is a change of this file only.
 */
import type { EventStoreDBClient } from '@eventstore/db-client';

export {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  NO_STREAM,
  START,
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  EventStoreDBClient,
  NotLeaderError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  convertToCommandError,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
export type {
  AllStreamRecordedEvent,
  AllStreamResolvedEvent,
  AllStreamSubscription,
  AppendExpectedRevision,
  AppendResult as EsdbAppendResult,
  CurrentRevision,
  EventData,
  Position,
  ReadAllOptions as EsdbReadAllOptions,
  ReadPosition,
  ReadRevision,
  ReadStreamOptions as EsdbReadStreamOptions,
  RecordedEvent as EsdbRecordedEvent,
  ResolvedEvent as EsdbResolvedEvent,
  StreamingRead,
  SubscribeToAllOptions,
} from '@eventstore/db-client';

/**
 * The server's version as the client learns it (its ServerFeatures call, which every append
 * makes anyway): "unknown" from a server without that call (before 21.10). The client's typings
 * keep this getter protected, so only this module reaches for it.
 */
/**
 * What the adapter uses of the client, and so all a fake has to answer: the client class itself has
 * private members that only an instance of it can have.
 */
export type EsdbClient = Pick<EventStoreDBClient, 'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'>;

export async function serverVersion(client: EsdbClient): Promise<string> {
  const features: unknown = await Reflect.get(client, 'capabilities');
  return typeof features === 'object' && features !== null && 'serverVersion' in features && typeof features.serverVersion === 'string'
    ? features.serverVersion
    : 'unknown';
}
