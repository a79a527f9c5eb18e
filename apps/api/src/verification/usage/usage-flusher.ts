import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { LedgerConfig } from '@ledger/config';
import { ConcurrencyConflictError, systemContext } from '@ledger/event-store';
import { Projector } from '@ledger/projections';
import { TokenCommandError } from '@ledger/token-domain';
import { LEDGER_CONFIG } from '../../store/ledger-store.tokens';
import { TokenStream } from '../../store/token-stream';
import { UsageBuffer, type PendingUsage } from './usage-buffer';

/** Streams written at once per flush: enough for group commit, few enough not to starve requests. */
const PARALLEL_WRITES = 32;

/**
 * Records buffered uses as TokenUsed events every USAGE_FLUSH_INTERVAL, in the background, and
 * once more on graceful shutdown. A window that cannot be written (a concurrent write, the store
 * failing) goes back into the buffer for the next flush.
 */
@Injectable()
export class UsageFlusher implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Usage');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly buffer: UsageBuffer,
    private readonly tokens: TokenStream,
    private readonly projector: Projector,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.verification.usageFlushIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Writes every buffered window; flushes never overlap. */
  flush(): Promise<void> {
    this.running = this.running.then(() => this.writeAll(this.buffer.drain()));
    return this.running;
  }

  private async writeAll(windows: PendingUsage[]): Promise<void> {
    let last = 0;
    for (let i = 0; i < windows.length; i += PARALLEL_WRITES) {
      const positions = await Promise.all(windows.slice(i, i + PARALLEL_WRITES).map((w) => this.write(w)));
      last = Math.max(last, ...positions);
    }
    // The read model shows what was flushed before the flush is over: on shutdown, the projector
    // stops after this, and the live read model must still equal a rebuild from the store.
    if (last > 0) await this.projector.waitFor(last, this.config.projectionWaitMs).catch(() => undefined);
  }

  /** Records one window; answers the position written (0 when nothing was). */
  private async write(usage: PendingUsage): Promise<number> {
    try {
      const result = await this.tokens.execute(
        {
          type: 'RecordUsage',
          data: { ...usage, firstUsedAt: new Date(usage.firstUsedAt), lastUsedAt: new Date(usage.lastUsedAt), now: new Date() },
        },
        systemContext('usage-flush'),
      );
      return result.position ?? 0;
    } catch (error) {
      if (error instanceof TokenCommandError) {
        this.logger.warn({ tokenId: usage.tokenId, code: error.code }, 'usage dropped');
        return 0;
      }
      if (!(error instanceof ConcurrencyConflictError)) this.logger.error({ err: error, tokenId: usage.tokenId }, 'usage flush failed; retrying next window');
      this.buffer.restore(usage);
      return 0;
    }
  }
}
