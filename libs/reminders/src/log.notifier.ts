import type { Alert, Notifier, ReminderLog } from './notifier.port';

/** Every reminder is also a log line, with or without a webhook (never the token's value). */
export class LogNotifier implements Notifier {
  readonly channel = 'log';

  constructor(private readonly log: ReminderLog) {}

  async notify(alert: Alert): Promise<boolean> {
    const { tokenId, projectId, name, expiresAt, due, hint } = alert.data;
    this.log.info({ alert: alert.type, reminderId: alert.id, tokenId, projectId, name, hint, expiresAt, due }, `reminder ${alert.type}`);
    return true;
  }
}
