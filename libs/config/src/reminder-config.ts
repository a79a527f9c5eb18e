import { DURATION_FORMAT_HINT, parseDuration, PROJECT_ID_PATTERN } from '@ledger/token-domain';
import { ConfigError } from './config-values';

/** How reminders are scheduled and delivered (docs/reminders.md, "Two schedulers"). */
export interface ReminderConfig {
  /** Seconds before expiresAt at which an expiry_warning is due, largest first. */
  leadsSeconds: number[];
  /** Seconds after createdAt at which a token without expiry is due for rotation. */
  rotationPeriodSeconds: number;
  webhookUrl: string | null;
  /** Per-project endpoints (ALERT_WEBHOOK_PROJECT_URLS); other projects use webhookUrl. */
  webhookProjectUrls: Record<string, string>;
  /** `whsec_…` (base64 key), as the Standard Webhooks libraries take it. Never logged. */
  webhookSecret: string | null;
  /** Delivery attempts before a reminder becomes a dead letter. */
  attempts: number;
  /** First retry delay; each further retry doubles it (exponential backoff). */
  retryDelayMs: number;
  /** How long a worker holds a job before another worker may take it over (after a crash). */
  jobLockMs: number;
  /** Key prefix of the BullMQ queue in Redis (one per deployment sharing a Redis). */
  queuePrefix: string;
}

export function loadReminderConfig(env: NodeJS.ProcessEnv): ReminderConfig {
  const webhookUrl = httpUrl('ALERT_WEBHOOK_URL', env.ALERT_WEBHOOK_URL);
  const webhookProjectUrls = projectUrls(env.ALERT_WEBHOOK_PROJECT_URLS);
  const webhookSecret = secret(env.ALERT_WEBHOOK_SECRET);
  if ((webhookUrl || Object.keys(webhookProjectUrls).length > 0) && !webhookSecret) {
    throw new ConfigError('ALERT_WEBHOOK_SECRET', 'must be set when a webhook URL is set (a whsec_… secret)');
  }
  return {
    leadsSeconds: leads(env.REMINDER_LEADS),
    rotationPeriodSeconds: positiveSeconds('ROTATION_PERIOD', env.ROTATION_PERIOD, '90d'),
    webhookUrl,
    webhookProjectUrls,
    webhookSecret,
    attempts: integer('REMINDER_ATTEMPTS', env.REMINDER_ATTEMPTS, 10, 1, 100),
    retryDelayMs: positiveSeconds('REMINDER_RETRY_DELAY', env.REMINDER_RETRY_DELAY, '10s') * 1000,
    jobLockMs: positiveSeconds('REMINDER_JOB_LOCK', env.REMINDER_JOB_LOCK, '30s') * 1000,
    queuePrefix: queuePrefix(env.REMINDER_QUEUE_PREFIX),
  };
}

function queuePrefix(value: string | undefined): string {
  if (!value) return 'ledger';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(value)) throw new ConfigError('REMINDER_QUEUE_PREFIX', `must be 1-64 letters, digits, "_", "." or "-" (got "${value}")`);
  return value;
}

function leads(value: string | undefined): number[] {
  const parts = (value || '14d,7d,1d').split(',').map((p) => p.trim());
  const seconds = parts.map((p) => (p === '' ? null : parseDuration(p)));
  if (seconds.some((s) => s === null || s === 0)) {
    throw new ConfigError('REMINDER_LEADS', `must be a comma-separated list of positive durations like "14d,7d,1d" (got "${value}")`);
  }
  return [...new Set(seconds as number[])].sort((a, b) => b - a);
}

function positiveSeconds(variable: string, value: string | undefined, fallback: string): number {
  const seconds = parseDuration(value || fallback);
  if (seconds === null || seconds === 0) throw new ConfigError(variable, `must be a positive ${DURATION_FORMAT_HINT} (got "${value}")`);
  return seconds;
}

function integer(variable: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (!value) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new ConfigError(variable, `must be a whole number ${min}-${max} (got "${value}")`);
  return n;
}

function httpUrl(variable: string, value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  throw new ConfigError(variable, 'must be an http:// or https:// URL');
}

/** `shop=https://…,billing=https://…`: project id = URL, comma-separated. */
function projectUrls(value: string | undefined): Record<string, string> {
  const urls: Record<string, string> = {};
  if (!value) return urls;
  for (const pair of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = pair.indexOf('=');
    const projectId = pair.slice(0, at);
    if (at < 1 || !PROJECT_ID_PATTERN.test(projectId)) {
      throw new ConfigError('ALERT_WEBHOOK_PROJECT_URLS', 'must be comma-separated project=URL pairs, e.g. "shop=https://ops.example.com/hook"');
    }
    const url = httpUrl('ALERT_WEBHOOK_PROJECT_URLS', pair.slice(at + 1));
    if (url) urls[projectId] = url;
  }
  return urls;
}

function secret(value: string | undefined): string | null {
  if (!value) return null;
  // Never echo the value: it signs every alert.
  const key = value.startsWith('whsec_') ? value.slice(6) : '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || Buffer.from(key, 'base64').length < 16) {
    throw new ConfigError('ALERT_WEBHOOK_SECRET', 'must be whsec_ followed by at least 16 base64-encoded bytes');
  }
  return value;
}
