import { foldStream, handleCommand, systemContext, type EventStore } from '@ledger/event-store';
import { tokenDecider, tokenStreamId } from '@ledger/token-domain';
import type { Reminder, ReminderPolicy } from './reminder';
import { reminderDecider } from './reminder.decider';
import { isStillDue } from './reminder-schedule';
import type { ReminderToken } from './reminder-token';
import type { Alert, Notifier, ReminderLog } from './notifier.port';

const ACTOR = 'reminders';

/**
 * Runs one reminder job: re-checks the ledger (a revoke, rotation or earlier run may have made
 * it moot), delivers on every channel, then records TokenExpired (at expiry) and ReminderSent.
 * Delivery is at least once: a crash between delivery and recording delivers again (same
 * webhook-id), and the decider records it once.
 */
export class ReminderProcessor {
  constructor(
    private readonly store: EventStore,
    private readonly notifiers: Notifier[],
    private readonly policy: ReminderPolicy,
    private readonly log: ReminderLog,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The ReminderHandler the schedulers call. */
  readonly handle = async (reminder: Reminder, attempt: number): Promise<void> => {
    const streamId = tokenStreamId(reminder.tokenId);
    const token = foldStream(reminderDecider, await this.store.readStream(streamId));
    if (!isStillDue(token, reminder.id, this.policy, this.clock())) {
      this.log.info({ reminderId: reminder.id, tokenId: reminder.tokenId }, 'reminder no longer due; skipped');
      return;
    }
    // Timers may fire a hair early; an `expired` notice must not precede the expiry it reports.
    const early = Date.parse(reminder.due) - this.clock().getTime();
    if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));
    const alert = toAlert(token as ReminderToken, reminder);
    const delivered: string[] = [];
    try {
      for (const notifier of this.notifiers) if (await notifier.notify(alert)) delivered.push(notifier.channel);
    } catch (error) {
      this.log.warn({ reminderId: reminder.id, tokenId: reminder.tokenId, attempt, err: (error as Error).message }, 'reminder delivery failed');
      throw error;
    }
    const now = this.clock();
    const context = { ...systemContext(ACTOR), causationId: reminder.id };
    if (reminder.kind === 'expired') {
      const expire = { type: 'ExpireToken' as const, data: { tokenId: reminder.tokenId, projectId: reminder.projectId, now } };
      await handleCommand(this.store, streamId, tokenDecider, expire, context, { retries: 3, occurredAt: now });
    }
    const record = {
      type: 'RecordReminderSent' as const,
      data: { tokenId: reminder.tokenId, projectId: reminder.projectId, kind: reminder.kind, due: reminder.due, channel: channelOf(delivered), attempt, now },
    };
    await handleCommand(this.store, streamId, reminderDecider, record, context, { retries: 3, occurredAt: now });
  };
}

/** The channels that told someone; the log line alone counts only when no other channel did. */
function channelOf(delivered: string[]): string {
  const others = delivered.filter((c) => c !== 'log');
  return others.length > 0 ? others.join(',') : 'log';
}

function toAlert(token: ReminderToken, reminder: Reminder): Alert {
  return {
    id: reminder.id,
    type: `token.${reminder.kind}`,
    // The reminder's own moment: the body is the same on every retry.
    timestamp: reminder.due,
    data: {
      tokenId: token.tokenId,
      projectId: token.projectId,
      name: token.name,
      type: token.type,
      expiresAt: token.expiresAt,
      due: reminder.due,
      hint: token.hint,
    },
  };
}
