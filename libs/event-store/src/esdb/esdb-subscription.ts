import { START, streamNameFilter, type AllStreamResolvedEvent, type AllStreamSubscription, type EventStoreDBClient } from '@eventstore/db-client';
import { DEFAULT_BATCH_SIZE } from '../catch-up-subscription';
import type { BatchHandler, GlobalPosition, RecordedEvent, SubscribeOptions, Subscription } from '../event-store.port';
import { isLedgerEvent, isUnavailable, toEsdbPosition, toRecorded } from './esdb-mapping';

export interface EsdbSubscriptionOptions {
  prefixes: readonly string[];
  /** Wait before subscribing again after the server went away (default 1 s). */
  resubscribeDelayMs: number;
  /** Told about every lost connection it recovers from (for logs). */
  onReconnect?: (error: unknown) => void;
}

/**
 * A catch-up subscription to $all from a checkpoint, filtered on the server to the ledger's
 * stream prefixes. Events are queued as they arrive and handed over in batches, one batch at a
 * time; once a full batch is waiting the gRPC stream is paused, so a slow projection holds the
 * server back instead of filling memory. A lost connection is not an error of the projection:
 * it subscribes again from the last event it queued, after a pause.
 */
export function subscribeToLedger(
  client: EventStoreDBClient,
  options: SubscribeOptions,
  handler: BatchHandler,
  onError: ((error: unknown) => void) | undefined,
  { prefixes, resubscribeDelayMs, onReconnect }: EsdbSubscriptionOptions,
): Subscription {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let queuedUpTo: GlobalPosition = options.after ?? 0;
  let queue: RecordedEvent[] = [];
  let stopped = false;
  let handling: Promise<void> | null = null;
  let stream: AllStreamSubscription | null = null;
  let retry: NodeJS.Timeout | undefined;

  const fail = (error: unknown) => {
    if (stopped) return;
    stopped = true;
    void stream?.unsubscribe().catch(() => undefined);
    if (onError) onError(error);
    else process.emitWarning(error instanceof Error ? error : String(error));
  };

  const deliver = async () => {
    while (!stopped && queue.length > 0) {
      const batch = queue.slice(0, batchSize);
      queue = queue.slice(batch.length);
      await handler(batch);
      // Let appends and HTTP requests run between batches of a long catch-up.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (!stopped && stream?.isPaused()) stream.resume();
  };

  const kick = () => {
    if (handling || stopped) return;
    handling = deliver()
      .catch(fail)
      .finally(() => {
        handling = null;
        if (queue.length > 0) kick();
      });
  };

  const onEvent = ({ event }: AllStreamResolvedEvent) => {
    if (stopped || !isLedgerEvent(event, prefixes)) return;
    let recorded: RecordedEvent;
    try {
      recorded = toRecorded(event!);
    } catch (error) {
      return fail(error);
    }
    // A resubscription may repeat what was already queued: positions only ever move forward.
    if (recorded.position <= queuedUpTo) return;
    queuedUpTo = recorded.position;
    queue.push(recorded);
    if (queue.length >= batchSize) stream?.pause();
    kick();
  };

  const subscribe = () => {
    retry = undefined;
    if (stopped) return;
    const current = client.subscribeToAll({
      fromPosition: queuedUpTo > 0 ? toEsdbPosition(queuedUpTo) : START,
      filter: streamNameFilter({ prefixes: [...prefixes] }),
      resolveLinkTos: false,
    });
    stream = current;
    current.on('data', onEvent);
    const lost = (error: unknown) => {
      if (stopped || stream !== current) return;
      if (error !== undefined && !isUnavailable(error)) return fail(error);
      onReconnect?.(error ?? new Error('subscription ended by the server'));
      stream = null;
      current.removeAllListeners('data');
      void current.unsubscribe().catch(() => undefined);
      retry = setTimeout(subscribe, resubscribeDelayMs);
    };
    current.on('error', lost);
    current.on('end', () => lost(undefined));
  };

  subscribe();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await stream?.unsubscribe().catch(() => undefined);
      await handling;
    },
  };
}
