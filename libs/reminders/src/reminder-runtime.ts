import { join } from 'node:path';
import type { LedgerConfig } from '@ledger/config';
import type { ReminderPolicy } from './reminder';
import type { RetryPolicy } from './reminder-scheduler.port';
import { LogNotifier } from './log.notifier';
import type { Notifier, ReminderLog } from './notifier.port';
import { WebhookNotifier } from './webhook.notifier';

/** The API's reminder read model; the worker keeps its own (each process follows the ledger). */
export const REMINDER_READ_MODEL_FILE = 'reminders.v1.sqlite';
export const WORKER_READ_MODEL_FILE = 'reminders-worker.v1.sqlite';

export const reminderPolicy = (config: LedgerConfig): ReminderPolicy => ({
  leadsSeconds: config.reminders.leadsSeconds,
  rotationPeriodSeconds: config.reminders.rotationPeriodSeconds,
});

export const retryPolicy = (config: LedgerConfig): RetryPolicy => ({
  attempts: config.reminders.attempts,
  retryDelayMs: config.reminders.retryDelayMs,
});

/** The log line always; the webhook when ALERT_WEBHOOK_URL (or a project's URL) is set. */
export function notifiersFor(config: LedgerConfig, log: ReminderLog): Notifier[] {
  const { webhookUrl, webhookProjectUrls, webhookSecret } = config.reminders;
  const notifiers: Notifier[] = [new LogNotifier(log)];
  const anyUrl = webhookUrl !== null || Object.keys(webhookProjectUrls).length > 0;
  if (anyUrl && webhookSecret) notifiers.push(new WebhookNotifier({ fallback: webhookUrl, byProject: webhookProjectUrls }, webhookSecret));
  return notifiers;
}

export const readModelPath = (config: LedgerConfig, file: string): string => join(config.dataDir, file);
