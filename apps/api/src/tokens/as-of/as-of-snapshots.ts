import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { TOKEN_SNAPSHOTS_FILE, type LedgerConfig } from '@ledger/config';
import type { EventStore } from '@ledger/event-store';
import { TokenSnapshots, type TokenRow } from '@ledger/projections';
import { EVENT_STORE, LEDGER_CONFIG } from '../../store/ledger-store.tokens';

/**
 * The token list's snapshots in the data directory, for lists `asOf` an instant. Checked and
 * extended by those lists themselves, never at start: auditors' point-in-time questions are
 * rare, and folding the whole log again at every start would cost each replica time and memory
 * that belong to the verification path.
 */
@Injectable()
export class AsOfSnapshots implements OnApplicationShutdown {
  private readonly snapshots: TokenSnapshots;

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(LEDGER_CONFIG) config: LedgerConfig) {
    this.snapshots = TokenSnapshots.open(join(config.dataDir, TOKEN_SNAPSHOTS_FILE), store, { every: config.asOfSnapshotEvery });
  }

  /** Same rows as a replay of the whole log up to `asOf`, one project's. */
  replay(asOf: Date, projectId: string): Promise<TokenRow[]> {
    return this.snapshots.replay(asOf, projectId);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.snapshots.close();
  }
}
