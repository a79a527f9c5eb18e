import { START, streamNameFilter, type AllStreamResolvedEvent, type AllStreamSubscription, type EsdbClient } from './esdb-client';
import { DEFAULT_BATCH_SIZE } from '../catch-up-subscription';
import type { BatchHandler, GlobalPosition, RecordedEvent, SubscribeOptions, Subscription, SubscriptionRetry } from '../event-store.port';
import { backoffDelay, type Backoff } from '../backoff';
import { EventStoreAccessDeniedError, isAccessDenied } from './esdb-errors';
import { isLedgerEvent, toEsdbPosition, toRecorded } from './esdb-mapping';

export interface EsdbSubscriptionOptions {
  prefixes: readonly string[];
  /** Waits between attempts to subscribe again after the server went away. */
  backoff: Backoff;
  /** Told about every lost connection it recovers from (for logs). */
  onReconnect?: (error: unknown) => void;
  random?: () => number;
}

export interface EsdbSubscription extends Subscription {
  /** Set from the moment the feed is lost until the server confirms a new subscription. */
  retrying(): SubscriptionRetry | null;
}

/**
 * A catch-up subscription to $all from a checkpoint, filtered on the server to the ledger's
 * stream prefixes. Events are queued as they arrive and handed over in batches, one batch at a
 * time; once a full batch is waiting the gRPC stream is paused, so a slow projection holds the
 * server back instead of filling memory.
 *
 * Whatever the server or the transport ends the feed with (not ready, busy, no leader, a
 * dropped HTTP/2 stream, failed discovery, a deadline) is not the projection's error: it
 * subscribes again from the last event it queued, waiting longer each time (with jitter). It
 * stops and reports only what a retry cannot cure: the handler's error, an event it cannot map,
 * and access denied (the credentials must change first).
 */
export function subscribeToLedger(
  client: EsdbClient,
  options: SubscribeOptions,
  handler: BatchHandler,
  onError: ((error: unknown) => void) | undefined,
  { prefixes, backoff, onReconnect, random = Math.random }: EsdbSubscriptionOptions,
): EsdbSubscription {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let queuedUpTo: GlobalPosition = options.after ?? 0;
  let queue: RecordedEvent[] = [];
  let stopped = false;
  let handling: Promise<void> | null = null;
  let stream: AllStreamSubscription | null = null;
  let retry: NodeJS.Timeout | undefined;
  let lostState: SubscriptionRetry | null = null;

  const fail = (error: unknown) => {
    if (stopped) return;
    stopped = true;
    lostState = null;
    clearTimeout(retry);
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

  // The server confirms a subscription before any event: from then on it is back.
  const recovered = () => {
    lostState = null;
  };

  const onEvent = ({ event }: AllStreamResolvedEvent) => {
    recovered();
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
    current.on('confirmation', recovered);
    const lost = (error: unknown) => {
      if (stopped || stream !== current) return;
      if (isAccessDenied(error)) return fail(new EventStoreAccessDeniedError('subscribing to $all'));
      const reason = error ?? new Error('subscription ended by the server');
      onReconnect?.(reason);
      stream = null;
      current.removeAllListeners('data');
      void current.unsubscribe().catch(() => undefined);
      const attempts = lostState ? lostState.attempts + 1 : 0;
      lostState = {
        since: lostState?.since ?? new Date().toISOString(),
        attempts,
        reason: reason instanceof Error ? reason.message || reason.name : typeof reason === 'string' ? reason : JSON.stringify(reason),
      };
      retry = setTimeout(subscribe, backoffDelay(attempts, backoff, random));
    };
    current.on('error', lost);
    current.on('end', () => lost(undefined));
  };

  subscribe();
  return {
    retrying: () => lostState,
    async stop() {
      stopped = true;
      lostState = null;
      clearTimeout(retry);
      await stream?.unsubscribe().catch(() => undefined);
      await handling;
    },
  };
}
