import type { Reminder } from './reminder';

/** Runs one delivery attempt (1-based); throwing means "retry later", until attempts run out. */
export type ReminderHandler = (reminder: Reminder, attempt: number) => Promise<void>;

/** A reminder whose last attempt failed: kept and listable (dead letter) until it is retried. */
export interface DeadLetter {
  reminder: Reminder;
  attempts: number;
  error: string;
  failedAt: string;
}

export type ReminderJobCounts = Record<'delayed' | 'waiting' | 'active' | 'failed' | 'completed', number>;

/**
 * Where due reminders wait and run. Adapters: BullMQ (REDIS_URL) and in-process (embedded).
 * Both retry with exponential backoff and keep a dead letter after the last attempt.
 */
export interface ReminderScheduler {
  /** Idempotent by reminder id: scheduling a scheduled, running or finished reminder changes nothing. */
  schedule(reminders: Reminder[]): Promise<void>;
  /** Drops waiting reminders; one already running finishes (its handler re-checks the ledger). */
  cancel(ids: string[]): Promise<void>;
  deadLetters(): Promise<DeadLetter[]>;
  /** Gives a dead letter a fresh set of attempts, now; false when `id` is not a dead letter. */
  retryDeadLetter(id: string): Promise<boolean>;
  counts(): Promise<ReminderJobCounts>;
  close(): Promise<void>;
}

/** Where the in-process scheduler keeps dead letters, so they outlive a restart as BullMQ's do. */
export interface DeadLetterStore {
  saveDeadLetter(deadLetter: DeadLetter): void;
  removeDeadLetter(id: string): void;
  deadLetters(): DeadLetter[];
}

export interface RetryPolicy {
  attempts: number;
  /** Delay before the 2nd attempt; each further retry doubles it. */
  retryDelayMs: number;
}

export const backoffDelay = (policy: RetryPolicy, failedAttempts: number): number => policy.retryDelayMs * 2 ** (failedAttempts - 1);
