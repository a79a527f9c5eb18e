import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { EventStore } from '@ledger/event-store';
import { BullmqReminderScheduler, ReminderFeed, type ReminderScheduler } from '@ledger/reminders';
import { EVENT_STORE } from '../store/ledger-store.tokens';
import { REMINDER_SCHEDULER } from './reminder.tokens';

const REDIS_TIMEOUT_MS = 1000;

/**
 * Readiness of reminders: the feed follows the ledger (or is still starting: it starts after the
 * port is open and readiness does not wait for it), and Redis answers when it is used.
 */
@Injectable()
export class ReminderHealth {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REMINDER_SCHEDULER) private readonly scheduler: ReminderScheduler,
    private readonly feed: ReminderFeed,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check() {
    const check = this.indicator.check('reminders');
    const head = await this.store.headPosition().catch(() => this.feed.position);
    const details = {
      scheduler: this.scheduler instanceof BullmqReminderScheduler ? 'bullmq' : 'in-process',
      position: this.feed.position,
      lag: head - this.feed.position,
      // Re-deriving pending reminders after a start: not a reason to keep traffic away.
      ...(this.feed.starting ? { starting: true } : {}),
    };
    if (!this.feed.running && !this.feed.starting) return check.down({ ...details, message: 'the reminder feed is not following the ledger' });
    if (!(this.scheduler instanceof BullmqReminderScheduler)) return check.up(details);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), REDIS_TIMEOUT_MS)));
    const answered = await Promise.race([
      this.scheduler.counts().then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
    clearTimeout(timer);
    return answered ? check.up({ ...details, redis: 'up' }) : check.down({ ...details, redis: 'down', message: 'Redis does not answer' });
  }
}
