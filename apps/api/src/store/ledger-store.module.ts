import { Global, Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { join } from 'node:path';
import type { LedgerConfig } from '@ledger/config';
import { removeSqliteFile, type EventStore } from '@ledger/event-store';
import {
  describeRebuild,
  lockDataDir,
  Projector,
  rebuildingFile,
  rebuildTokenList,
  TokenIndex,
  TokenListQueries,
  TokenListReadModel,
  type DataDirLock,
  type RebuildProgress,
} from '@ledger/projections';
import { EVENTS_FILE, READ_MODEL_FILE } from '@ledger/config';
import { DATA_DIR_LOCK, EVENT_STORE, LEDGER_CONFIG } from './ledger-store.tokens';
import { openEventStore } from './open-event-store';
import { TokenStream } from './token-stream';

export { EVENTS_FILE, READ_MODEL_FILE };

/**
 * A new token list over a ledger of this many events is rebuilt rather than caught up: the rebuild
 * writes each token once, builds the indexes at the end and folds on every core, about four
 * times faster than the projector's catch-up (docs/performance.md, "Rebuild").
 */
const REBUILD_NEW_READ_MODEL_FROM = 20_000;
const PROGRESS_EVERY_MS = 5_000;

/**
 * Opens the read model, rebuilding it when it claims events the store does not have, or when it
 * is new (first start, a new replica, a projection version) and the ledger is big.
 */
async function openReadModel(store: EventStore, config: LedgerConfig): Promise<TokenListReadModel> {
  const file = join(config.dataDir, READ_MODEL_FILE);
  // What a rebuild interrupted by a crash left (the data directory is locked: nothing writes it now).
  removeSqliteFile(rebuildingFile(file));
  const readModel = TokenListReadModel.open(file);
  const [checkpoint, head] = [readModel.checkpoint(), await store.headPosition()];
  const isNew = checkpoint === 0 && head >= REBUILD_NEW_READ_MODEL_FROM;
  if (checkpoint <= head && !isNew) return readModel;
  readModel.close();
  const logger = new Logger('Projector');
  logger.warn(
    isNew
      ? `the token list is new and the ledger holds events up to position ${head}; rebuilding it`
      : 'read model is ahead of the event store (store replaced?); rebuilding it',
  );
  let reported = Date.now();
  const onProgress = (progress: RebuildProgress) => {
    if (Date.now() - reported < PROGRESS_EVERY_MS) return;
    reported = Date.now();
    logger.log(`rebuilding the token list: ${describeRebuild(progress)}`);
  };
  const started = Date.now();
  const result = await rebuildTokenList(store, file, { source: { location: config, sqliteFile: join(config.dataDir, EVENTS_FILE) }, onProgress });
  const threads = `${result.threads} thread${result.threads === 1 ? '' : 's'}`;
  logger.log(`rebuilt the token list from ${result.events} events in ${((Date.now() - started) / 1000).toFixed(1)} s on ${threads}`);
  return TokenListReadModel.open(file);
}

/**
 * A projection error that retrying cannot mend leaves the read model and the verification index
 * behind the ledger for good: exit so that the supervisor restarts the process, never keep
 * serving stale revocations. One line on stderr, as at start (main.ts).
 */
function exitOnProjectionFault(error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  new Logger('Projector').fatal({ err: error }, 'projection stopped on an error it cannot retry; exiting');
  process.stderr.write(`Token Ledger stopped: the read model cannot follow the ledger (${reason}); exiting so that the supervisor restarts it\n`);
  process.exit(1);
}

/** The event store, the token list read model, the projector that keeps them in step, and the TokenStream that writes token streams. */
@Global()
@Module({})
export class LedgerStoreModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Projector');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: TokenListReadModel,
    private readonly projector: Projector,
    @Inject(DATA_DIR_LOCK) private readonly lock: DataDirLock,
  ) {}

  static forRoot(config: LedgerConfig): DynamicModule {
    return {
      module: LedgerStoreModule,
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        // First of all: a second API process on this directory is refused before it opens a file.
        { provide: DATA_DIR_LOCK, useFactory: () => lockDataDir(config.dataDir, 'api') },
        {
          provide: EVENT_STORE,
          useFactory: () => openEventStore(config, join(config.dataDir, EVENTS_FILE)),
          // Every file of the data directory is opened through the store: it waits for the lock.
          inject: [DATA_DIR_LOCK],
        },
        {
          provide: TokenListReadModel,
          useFactory: (store: EventStore) => openReadModel(store, config),
          inject: [EVENT_STORE],
        },
        { provide: TokenListQueries, useFactory: (rm: TokenListReadModel) => new TokenListQueries(rm.db), inject: [TokenListReadModel] },
        // Loaded before the projector moves the read model on, so both start at one checkpoint.
        // A revoke, rotation or expiry of a token never created is skipped, but said loudly.
        {
          provide: TokenIndex,
          useFactory: (rm: TokenListReadModel) => TokenIndex.load(rm, (message, event) => new Logger('TokenIndex').warn(event, message)),
          inject: [TokenListReadModel],
        },
        {
          provide: Projector,
          useFactory: (store: EventStore, rm: TokenListReadModel, index: TokenIndex) =>
            new Projector(store, rm, {
              followers: [index],
              onRetry: (err, delayMs) => new Logger('Projector').error({ err }, `projection failed; following again in ${delayMs} ms`),
              onFatal: exitOnProjectionFault,
            }),
          inject: [EVENT_STORE, TokenListReadModel, TokenIndex],
        },
        // Here, not in TokensModule: verification (usage, RFC 7009), the exchange and the bootstrap write token streams too.
        TokenStream,
      ],
      exports: [LEDGER_CONFIG, EVENT_STORE, TokenListReadModel, TokenListQueries, TokenIndex, Projector, TokenStream],
    };
  }

  async onModuleInit(): Promise<void> {
    await this.projector.start();
    this.logger.log(`read model caught up at position ${this.projector.position}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projector.stop();
    this.readModel.close();
    await this.store.close();
    this.lock.release();
  }
}
