import {
  EventStoreUnavailableError,
  type BatchHandler,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type SubscribeOptions,
} from '@ledger/event-store';

/**
 * A real store behind a switch: while `down`, every call that would reach the store fails as an
 * unreachable EventStoreDB does (EventStoreUnavailableError). The subscription already running
 * is left alone: it holds what it has, as a replica's does when its server goes away.
 */
export class SwitchableOutage implements EventStore {
  down = false;

  constructor(readonly inner: EventStore) {}

  appendToStream(streamId: string, events: EventToAppend[], expected: ExpectedRevision) {
    return this.reach(() => this.inner.appendToStream(streamId, events, expected));
  }

  readStream(streamId: string) {
    return this.reach(() => this.inner.readStream(streamId));
  }

  readAll(options?: ReadAllOptions) {
    return this.reach(() => this.inner.readAll(options));
  }

  headPosition() {
    return this.reach(() => this.inner.headPosition());
  }

  subscribeToAll(options: SubscribeOptions, handler: BatchHandler, onError?: (error: unknown) => void) {
    return this.inner.subscribeToAll(options, handler, onError);
  }

  close() {
    return this.inner.close();
  }

  private async reach<T>(call: () => Promise<T>): Promise<T> {
    if (this.down) throw new EventStoreUnavailableError('switched off by the test');
    return call();
  }
}
