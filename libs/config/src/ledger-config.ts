import { resolve } from 'node:path';
import { parseTokenValue } from '@ledger/token-domain';
import { asOfSnapshotEvery } from './as-of-config';
import { ConfigError, durationMs, redisUrl } from './config-values';
import { eventStoreSelection } from './event-store-config';
import { loadReminderConfig, type ReminderConfig } from './reminder-config';
import { verificationConfig, type VerificationConfig } from './verification-config';

export { ConfigError };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LedgerConfig {
  port: number;
  host: string;
  dataDir: string;
  bootstrapToken: string | null;
  logLevel: LogLevel;
  /** How long create/revoke/rotate wait for the read model to show their write (then 503). */
  projectionWaitMs: number;
  /** EventStoreDB connection string (EVENTSTORE_URL); null with databaseUrl null: the embedded SQLite store under dataDir. */
  eventStoreUrl: string | null;
  /** PostgreSQL URL (DATABASE_URL, EVENT_STORE=postgres); never set together with eventStoreUrl. */
  databaseUrl: string | null;
  /** Reminders (REMINDER_LEADS, ROTATION_PERIOD, ALERT_WEBHOOK_*, REMINDER_*). */
  reminders: ReminderConfig;
  /** Usage flushing, rate limits and trusted proxies (verification-config.ts). */
  verification: VerificationConfig;
  /** Set: reminders are BullMQ jobs and rate-limit counters are shared; unset: both in process. */
  redisUrl: string | null;
  /** Events between two snapshots of the token list for `asOf` lists (ASOF_SNAPSHOT_EVERY). */
  asOfSnapshotEvery: number;
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  return {
    port: port(env.PORT),
    host: env.HOST || '0.0.0.0',
    dataDir: resolve(env.LEDGER_DATA_DIR || './data'),
    bootstrapToken: bootstrapToken(env.LEDGER_BOOTSTRAP_TOKEN),
    logLevel: logLevel(env.LOG_LEVEL),
    projectionWaitMs: durationMs('PROJECTION_WAIT_TIMEOUT', env.PROJECTION_WAIT_TIMEOUT, '5s'),
    ...eventStoreSelection(env, resolve(env.LEDGER_DATA_DIR || './data')),
    reminders: loadReminderConfig(env),
    verification: verificationConfig(env),
    redisUrl: redisUrl(env.REDIS_URL),
    asOfSnapshotEvery: asOfSnapshotEvery(env.ASOF_SNAPSHOT_EVERY),
  };
}

function port(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new ConfigError('PORT', `must be a port number 0-65535 (got "${value}")`);
  return n;
}

function bootstrapToken(value: string | undefined): string | null {
  if (!value) return null;
  // Never echo the value: it is a root credential.
  if (parseTokenValue(value)?.type !== 'root') {
    throw new ConfigError('LEDGER_BOOTSTRAP_TOKEN', 'must be a root token value (tlr_…) with a valid checksum; generate one with `npm run --silent root-token`');
  }
  return value;
}

function logLevel(value: string | undefined): LogLevel {
  if (!value) return 'info';
  if (!LOG_LEVELS.includes(value as LogLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got "${value}")`);
  return value as LogLevel;
}
