/** Injection token of the app's ReminderScheduler (in-process or BullMQ). */
export const REMINDER_SCHEDULER = Symbol('REMINDER_SCHEDULER');
