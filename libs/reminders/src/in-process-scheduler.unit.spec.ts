import { InProcessReminderScheduler } from './in-process-scheduler';
import { reminderSchedulerContract } from './reminder-scheduler.contract';

reminderSchedulerContract('in-process', async (handler, retry) => new InProcessReminderScheduler(handler, retry));
