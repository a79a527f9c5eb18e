import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { foldStream, type RecordedEvent } from '@ledger/event-store';
import { findIncompleteRotations, Projector, TokenListReadModel, type IncompleteRotation, type ProjectionFollower } from '@ledger/projections';
import { isTokenEvent, tokenDecider } from '@ledger/token-domain';
import { TokenStream } from '../../store/token-stream';
import { completeRotation } from './complete-rotation';

/** How often to look at rotations still waiting for their new token. */
export const RECOVERY_INTERVAL_MS = 1000;
/** How long a rotation may wait for its second append before another writer steps in. */
export const RECOVERY_GRACE_MS = 2000;

/**
 * Finishes rotations cut between their two appends (see completeRotation). On start it asks
 * the read model for every rotation without its new token; while running it follows the
 * projection, notes each TokenRotated, crosses it off when the matching TokenCreated arrives,
 * and completes what is still open after a grace period. A rotation cut on any replica is so
 * completed by every replica that sees it; racing another writer is harmless, as both write the
 * very same event.
 */
@Injectable()
export class RotationRecovery implements ProjectionFollower, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RotationRecovery');
  /** Open rotations by new token id, with when this replica first saw them. */
  private readonly open = new Map<string, IncompleteRotation & { seenAt: number }>();
  private timer: NodeJS.Timeout | undefined;
  /** One recovery at a time, in the order asked. */
  private queue: Promise<void> = Promise.resolve();
  private ticking = false;

  constructor(
    private readonly tokens: TokenStream,
    private readonly readModel: TokenListReadModel,
    private readonly projector: Projector,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Follow first, then look back: nothing applied in between is missed.
    this.projector.follow(this);
    await this.recover(findIncompleteRotations(this.readModel.db));
    this.timer = setInterval(() => {
      if (this.ticking) return;
      this.ticking = true;
      void this.recoverOverdue().finally(() => (this.ticking = false));
    }, RECOVERY_INTERVAL_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.queue;
  }

  apply(events: RecordedEvent[]): void {
    for (const { type, data } of events) {
      if (type === 'TokenRotated') {
        this.open.set(data.newTokenId as string, { tokenId: data.tokenId as string, newTokenId: data.newTokenId as string, seenAt: Date.now() });
      } else if (type === 'TokenCreated' && data.rotatedFrom) {
        this.open.delete(data.tokenId as string);
      }
    }
  }

  /** Completes every rotation the read model shows without its new token (and those still open). */
  async recoverAll(): Promise<void> {
    await this.recover([...findIncompleteRotations(this.readModel.db), ...this.open.values()]);
  }

  private recoverOverdue(): Promise<void> {
    const due = [...this.open.values()].filter((r) => Date.now() - r.seenAt >= RECOVERY_GRACE_MS);
    return due.length > 0 ? this.recover(due) : Promise.resolve();
  }

  private recover(rotations: IncompleteRotation[]): Promise<void> {
    const run = this.queue.then(async () => {
      for (const rotation of rotations) {
        try {
          if (await this.complete(rotation)) this.logger.warn(`completed interrupted rotation ${rotation.tokenId} → ${rotation.newTokenId}`);
          this.open.delete(rotation.newTokenId);
        } catch (error) {
          // The store may be away: the rotation stays open and is tried again on the next tick.
          this.open.set(rotation.newTokenId, { tokenId: rotation.tokenId, newTokenId: rotation.newTokenId, seenAt: 0 });
          this.logger.error({ err: error }, `could not complete rotation ${rotation.tokenId} → ${rotation.newTokenId}`);
        }
      }
    });
    this.queue = run;
    return run;
  }

  /** True when it wrote the missing TokenCreated, false when it was there already. */
  private async complete({ tokenId, newTokenId }: IncompleteRotation): Promise<boolean> {
    const history = await this.tokens.history(tokenId);
    const at = history.findIndex((e) => e.type === 'TokenRotated' && e.data.newTokenId === newTokenId);
    if (at < 0) return false;
    // The old token's facts as the rotation saw them.
    const state = foldStream(tokenDecider, history.slice(0, at + 1));
    if (state.status === 'absent') return false;
    const rotated = history[at];
    if (!isTokenEvent(rotated) || rotated.type !== 'TokenRotated') return false;
    const result = await completeRotation(this.tokens, state.token, rotated);
    return result.appended.length > 0;
  }
}
