import { Counter, type Registry } from 'prom-client';
import type { Alert, Notifier } from '@ledger/reminders';

/**
 * Each notifier wrapped so that its deliveries are counted by channel and outcome: delivered,
 * no_endpoint (the channel has no address for the alert's project), failed (it threw: retried
 * by the scheduler). Never the URL or the alert: those can carry a token's name and project.
 */
export function countDeliveries(notifiers: Notifier[], registry: Registry): Notifier[] {
  const deliveries = new Counter({
    name: 'ledger_reminder_deliveries_total',
    help: 'Reminder alert deliveries by channel (webhook, log) and outcome (delivered, no_endpoint, failed)',
    labelNames: ['channel', 'outcome'],
    registers: [registry],
  });
  return notifiers.map((notifier) => ({
    channel: notifier.channel,
    async notify(alert: Alert): Promise<boolean> {
      try {
        const delivered = await notifier.notify(alert);
        deliveries.inc({ channel: notifier.channel, outcome: delivered ? 'delivered' : 'no_endpoint' });
        return delivered;
      } catch (error) {
        deliveries.inc({ channel: notifier.channel, outcome: 'failed' });
        throw error;
      }
    },
  }));
}
