import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { foldStream } from '@ledger/event-store';
import { findIncompleteRotations, Projector, TokenListReadModel, type IncompleteRotation } from '@ledger/projections';
import { tokenDecider, type TokenRotated } from '@ledger/token-domain';
import { TokenStream } from '../token-stream';
import { completeRotation } from './complete-rotation';

/** How often to look again once the projection has moved on. */
export const RECOVERY_INTERVAL_MS = 2000;

/**
 * Finishes rotations cut between their two appends (see completeRotation): once on start, then
 * whenever the projection has moved since the last look, so a rotation cut on any replica is
 * completed by every replica that sees it. Racing the request that is still completing it is
 * harmless: both write the same event.
 */
@Injectable()
export class RotationRecovery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RotationRecovery');
  private timer: NodeJS.Timeout | undefined;
  private lookedAt = -1;
  private looking: Promise<void> | null = null;

  constructor(
    private readonly tokens: TokenStream,
    private readonly readModel: TokenListReadModel,
    private readonly projector: Projector,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.recoverAll();
    this.timer = setInterval(() => {
      if (this.projector.position !== this.lookedAt && !this.looking) void this.recoverAll();
    }, RECOVERY_INTERVAL_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.looking;
  }

  /** Completes every rotation the read model shows without its new token. */
  recoverAll(): Promise<void> {
    this.looking ??= this.look().finally(() => (this.looking = null));
    return this.looking;
  }

  private async look(): Promise<void> {
    const position = this.projector.position;
    let failed = false;
    for (const rotation of findIncompleteRotations(this.readModel.db)) {
      try {
        if (await this.recover(rotation)) this.logger.warn(`completed interrupted rotation ${rotation.tokenId} → ${rotation.newTokenId}`);
      } catch (error) {
        failed = true; // the store may be away: look again next time
        this.logger.error({ err: error }, `could not complete rotation ${rotation.tokenId} → ${rotation.newTokenId}`);
      }
    }
    if (!failed) this.lookedAt = position;
  }

  /** True when it wrote the missing TokenCreated, false when it was there already. */
  private async recover({ tokenId, newTokenId }: IncompleteRotation): Promise<boolean> {
    const history = await this.tokens.history(tokenId);
    const at = history.findIndex((e) => e.type === 'TokenRotated' && e.data.newTokenId === newTokenId);
    if (at < 0) return false;
    // The old token's facts as the rotation saw them.
    const state = foldStream(tokenDecider, history.slice(0, at + 1));
    if (state.status === 'absent') return false;
    const rotated = history[at] as unknown as TokenRotated & { id: string; metadata: Record<string, unknown> };
    const result = await completeRotation(this.tokens, state.token, rotated);
    return result.appended.length > 0;
  }
}
