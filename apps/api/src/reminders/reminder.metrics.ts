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
      // Redis down: leave the last values rather than fail (or hang) the whole scrape.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 1000)));
      const counts = await Promise.race([scheduler.counts().catch(() => null), timeout]);
      clearTimeout(timer);
      for (const [state, n] of Object.entries(counts ?? {})) this.set({ state }, n);
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
