import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { TOKEN_SNAPSHOTS_FILE, type LedgerConfig } from '@ledger/config';
import type { EventStore } from '@ledger/event-store';
import { TokenSnapshots, type TokenRow } from '@ledger/projections';
import { EVENT_STORE, LEDGER_CONFIG } from '../../store/ledger-store.tokens';

/** The token list's snapshots in the data directory, for lists `asOf` an instant. */
@Injectable()
export class AsOfSnapshots implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AsOfSnapshots');
  private readonly snapshots: TokenSnapshots;

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(LEDGER_CONFIG) config: LedgerConfig) {
    this.snapshots = TokenSnapshots.open(join(config.dataDir, TOKEN_SNAPSHOTS_FILE), store, { every: config.asOfSnapshotEvery });
  }

  /** Same rows as a replay of the whole log up to `asOf`, one project's. */
  replay(asOf: Date, projectId: string): Promise<TokenRow[]> {
    return this.snapshots.replay(asOf, projectId);
  }

  /** Checked and extended in the background, so the first `asOf` list does not pay for it. */
  onApplicationBootstrap(): void {
    void this.snapshots
      .check()
      .then((dropped) => {
        if (dropped) this.logger.warn('asOf snapshots are not of this event store (store replaced?); taking them again');
        return this.snapshots.extend();
      })
      .then(() => this.logger.log(`asOf snapshots up to date (${this.snapshots.positions.length})`))
      .catch((error: unknown) => this.logger.warn({ err: error }, 'asOf snapshots not extended; an asOf list will try again'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.snapshots.close();
  }
}
