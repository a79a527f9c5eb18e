import { resolve } from 'node:path';
import { parseTokenValue } from '@ledger/token-domain';
import { accessTokenConfig, type AccessTokenConfig } from './access-token-config';
import { asOfSnapshotEvery } from './as-of-config';
import { ConfigError, durationMs, redisUrl } from './config-values';
import { eventStoreSelection } from './event-store-config';
import { httpConfig, type HttpConfig } from './http-config';
import { maxActiveTokensPerProject } from './quota-config';
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
  /** Request timeouts, connection cap and shutdown drain (http-config.ts). */
  http: HttpConfig;
  /** Active tokens a project may hold; create (and rotate with a grace) refuse beyond it. */
  maxActiveTokensPerProject: number;
  /** Request metrics at /metrics (METRICS=on|off, default on); off also takes their hook off every request. */
  requestMetrics: boolean;
  /** Short-lived access tokens: lifetime, issuer, signing key file (access-token-config.ts). */
  accessTokens: AccessTokenConfig;
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const listenPort = port(env.PORT);
  return {
    port: listenPort,
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
    http: httpConfig(env),
    maxActiveTokensPerProject: maxActiveTokensPerProject(env.MAX_ACTIVE_TOKENS_PER_PROJECT),
    requestMetrics: onOff('METRICS', env.METRICS, true),
    accessTokens: accessTokenConfig(env, resolve(env.LEDGER_DATA_DIR || './data'), listenPort),
  };
}

function onOff(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === 'on' || value === 'off') return value === 'on';
  throw new ConfigError(name, `must be on or off (got "${value}")`);
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
    throw new ConfigError(
      'LEDGER_BOOTSTRAP_TOKEN',
      'must be a root token value (tlr_…) with a valid checksum; generate one with `npm run --silent root-token`',
    );
  }
  return value;
}

function logLevel(value: string | undefined): LogLevel {
  if (!value) return 'info';
  if (!LOG_LEVELS.includes(value as LogLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got "${value}")`);
  return value as LogLevel;
}
