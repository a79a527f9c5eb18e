export * from './reminder';
export * from './reminder-token';
export * from './reminder-schedule';
export * from './reminder.decider';
