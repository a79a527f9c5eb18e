import { Inject, Logger, Module, type DynamicModule, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import type { LedgerConfig } from '@ledger/config';
import type { EventStore } from '@ledger/event-store';
import { TokenIndex } from '@ledger/projections';
import {
  BullmqReminderScheduler,
  InProcessReminderScheduler,
  notifiersFor,
  readModelPath,
  REMINDER_FEED_GATHER_MS,
  REMINDER_READ_MODEL_FILE,
  ReminderFeed,
  ReminderProcessor,
  ReminderReadModel,
  reminderPolicy,
  retryPolicy,
  type ReminderLog,
  type ReminderScheduler,
} from '@ledger/reminders';
import { EVENT_STORE, LEDGER_CONFIG } from '../store/ledger-store.tokens';
import { countDeliveries } from '../metrics/delivery.metrics';
import { mountBullBoard } from './bull-board';
import { ListRemindersHttpController } from './list-reminders.http.controller';
import { registerReminderMetrics } from './reminder.metrics';
import { RetryReminderHttpController } from './retry-reminder.http.controller';
import { REMINDER_SCHEDULER } from './reminder.tokens';
import { collectStartUpGarbage } from './start-up-garbage';

const logger = new Logger('Reminders');
// nestjs-pino takes a last string argument as the context, so the message goes in the object.
const log: ReminderLog = {
  info: (fields, msg) => logger.log({ ...fields, msg }),
  warn: (fields, msg) => logger.warn({ ...fields, msg }),
};

/**
 * Reminders in the API. Embedded (no REDIS_URL): the in-process scheduler, fed from the ledger,
 * delivers them here. With REDIS_URL the worker delivers; the API follows the ledger only to
 * list reminders, and reads the BullMQ queue for dead letters, metrics and the dashboard.
 */
@Module({})
export class RemindersModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    @Inject(REMINDER_SCHEDULER) private readonly scheduler: ReminderScheduler,
    private readonly readModel: ReminderReadModel,
    private readonly feed: ReminderFeed,
    private readonly registry: Registry,
    private readonly index: TokenIndex,
    private readonly http: HttpAdapterHost,
  ) {}

  static forRoot(config: LedgerConfig): DynamicModule {
    return {
      module: RemindersModule,
      // Global so that readiness (HealthModule's ReminderHealth) sees the feed and the scheduler.
      global: true,
      exports: [ReminderFeed, REMINDER_SCHEDULER],
      controllers: [ListRemindersHttpController, RetryReminderHttpController],
      providers: [
        {
          provide: ReminderReadModel,
          useFactory: (store: EventStore) =>
            ReminderReadModel.openFollowing(readModelPath(config, REMINDER_READ_MODEL_FILE), store, () =>
              logger.warn('reminder read model is ahead of the event store (store replaced?); rebuilding it'),
            ),
          inject: [EVENT_STORE],
        },
        {
          provide: REMINDER_SCHEDULER,
          useFactory: (store: EventStore, readModel: ReminderReadModel, registry: Registry) =>
            config.redisUrl
              ? new BullmqReminderScheduler({ redisUrl: config.redisUrl, prefix: config.reminders.queuePrefix }, retryPolicy(config), Date.now, (err) =>
                  logger.warn({ err: err.message, msg: 'reminder queue (Redis) error' }),
                )
              : new InProcessReminderScheduler(
                  new ReminderProcessor(store, countDeliveries(notifiersFor(config, log), registry), reminderPolicy(config), log).handle,
                  retryPolicy(config),
                  Date.now,
                  readModel, // dead letters outlive a restart
                ),
          inject: [EVENT_STORE, ReminderReadModel, Registry],
        },
        {
          provide: ReminderFeed,
          useFactory: (store: EventStore, readModel: ReminderReadModel, scheduler: ReminderScheduler) =>
            new ReminderFeed(
              store,
              readModel,
              reminderPolicy(config),
              config.redisUrl ? null : scheduler,
              (err) => logger.error({ err, msg: 'reminder feed failed' }),
              // The in-process scheduler holds only its horizon: offer it the next stretch in time.
              scheduler instanceof InProcessReminderScheduler ? scheduler.horizonMs : null,
              REMINDER_FEED_GATHER_MS,
            ),
          inject: [EVENT_STORE, ReminderReadModel, REMINDER_SCHEDULER],
        },
      ],
    };
  }

  async onModuleInit(): Promise<void> {
    registerReminderMetrics(this.registry, this.scheduler, this.readModel);
    const fastify = this.http.httpAdapter.getInstance<FastifyInstance>();
    if (this.scheduler instanceof BullmqReminderScheduler) await mountBullBoard(fastify, this.scheduler.queue, this.index);
    // The feed re-reads every live token (seconds at a million): it starts once the port is open,
    // so that a restart answers verify at once. Readiness does not wait for it (ReminderHealth).
    fastify.addHook('onListen', (done) => {
      this.feedStart = this.startFeed();
      done();
    });
  }

  private feedStart: Promise<void> = Promise.resolve();

  /** Each failed attempt is logged by the feed's onError ("reminder feed failed") and readiness is down until one succeeds. */
  private async startFeed(): Promise<void> {
    if (!(await this.feed.startRetrying())) return;
    logger.log({ msg: `reminders ${this.config.redisUrl ? 'listed (the worker delivers them)' : 'scheduled in-process'}`, position: this.feed.position });
    const pauseMs = collectStartUpGarbage();
    if (pauseMs !== null) logger.log({ msg: 'collected the start-up garbage', pauseMs });
  }

  /** Before the store closes (LedgerStoreModule shuts down later): let running deliveries finish. */
  async onModuleDestroy(): Promise<void> {
    await this.feed.stop();
    await this.feedStart;
    await this.scheduler.close();
    this.readModel.close();
  }
}
