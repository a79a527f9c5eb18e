import { Gauge, type Registry } from 'prom-client';
import type { ReminderReadModel, ReminderScheduler } from '@ledger/reminders';

/** Queue depth by job state (dead letters are `failed`) and reminders by status, read at scrape time. */
export function registerReminderMetrics(registry: Registry, scheduler: ReminderScheduler, readModel: ReminderReadModel): void {
  new Gauge({
    name: 'ledger_reminder_jobs',
    help: 'Reminder jobs in the scheduler by state (failed = dead letters after the last attempt)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await scheduler.counts();
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'ledger_reminders',
    help: 'Reminders derived from the ledger, by status',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      for (const [status, n] of Object.entries(readModel.countByStatus())) this.set({ status }, n);
    },
  });
}
