import { ConfigError, loadConfig } from './ledger-config';

const SECRET = 'whsec_' + Buffer.alloc(24, 7).toString('base64');

describe('reminder configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config.redisUrl).toBeNull();
    expect(config.reminders).toEqual({
      leadsSeconds: [14 * 86_400, 7 * 86_400, 86_400],
      rotationPeriodSeconds: 90 * 86_400,
      webhookUrl: null,
      webhookProjectUrls: {},
      webhookSecret: null,
      attempts: 10,
      retryDelayMs: 10_000,
      jobLockMs: 30_000,
      queuePrefix: 'ledger',
    });
  });

  it('reads short leads (for tests), sorted largest first, without duplicates', () =>
    expect(loadConfig({ REMINDER_LEADS: '3s, 1m,3s,10' }).reminders.leadsSeconds).toEqual([60, 10, 3]));

  it('reads the webhook, Redis and retry settings', () => {
    const config = loadConfig({
      ALERT_WEBHOOK_URL: 'https://ops.example.com/hooks/ledger',
      ALERT_WEBHOOK_SECRET: SECRET,
      REDIS_URL: 'redis://:pw@127.0.0.1:6379/2',
      ROTATION_PERIOD: '30d',
      REMINDER_ATTEMPTS: '3',
      REMINDER_RETRY_DELAY: '2s',
      REMINDER_JOB_LOCK: '5s',
      REMINDER_QUEUE_PREFIX: 'ledger-test.1',
    });
    expect(config.redisUrl).toBe('redis://:pw@127.0.0.1:6379/2');
    expect(config.reminders).toMatchObject({
      webhookUrl: 'https://ops.example.com/hooks/ledger',
      webhookSecret: SECRET,
      rotationPeriodSeconds: 30 * 86_400,
      attempts: 3,
      retryDelayMs: 2000,
      jobLockMs: 5000,
      queuePrefix: 'ledger-test.1',
    });
  });

  it.each([
    ['REMINDER_LEADS', '14d,,1d'],
    ['REMINDER_LEADS', '2w'],
    ['REMINDER_LEADS', '0'],
    ['ROTATION_PERIOD', 'quarterly'],
    ['ROTATION_PERIOD', '0'],
    ['ALERT_WEBHOOK_URL', 'ftp://ops.example.com'],
    ['ALERT_WEBHOOK_URL', 'not a url'],
    ['ALERT_WEBHOOK_SECRET', 'plain-secret'],
    ['ALERT_WEBHOOK_PROJECT_URLS', 'shop'],
    ['ALERT_WEBHOOK_PROJECT_URLS', 'Shop=https://a.example'],
    ['ALERT_WEBHOOK_PROJECT_URLS', 'shop=ftp://a.example'],
    ['ALERT_WEBHOOK_SECRET', 'whsec_c2hvcnQ='],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['REDIS_URL', 'localhost:6379'],
    ['REMINDER_ATTEMPTS', '0'],
    ['REMINDER_ATTEMPTS', 'many'],
    ['REMINDER_RETRY_DELAY', '-1s'],
    ['REMINDER_JOB_LOCK', 'soon'],
    ['REMINDER_QUEUE_PREFIX', 'has:colon'],
  ])('refuses %s=%s naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it('needs a secret when a webhook URL is set: alerts are always signed', () => {
    expect(() => loadConfig({ ALERT_WEBHOOK_URL: 'https://ops.example.com/hook' })).toThrow(/^Invalid configuration: ALERT_WEBHOOK_SECRET /);
    expect(() => loadConfig({ ALERT_WEBHOOK_PROJECT_URLS: 'shop=https://a.example' })).toThrow(/^Invalid configuration: ALERT_WEBHOOK_SECRET /);
  });

  it('reads per-project webhook URLs', () =>
    expect(
      loadConfig({ ALERT_WEBHOOK_PROJECT_URLS: 'shop=https://a.example/hook?x=1, billing-eu=http://b.example', ALERT_WEBHOOK_SECRET: SECRET }).reminders
        .webhookProjectUrls,
    ).toEqual({ shop: 'https://a.example/hook?x=1', 'billing-eu': 'http://b.example' }));

  it('never echoes the webhook secret or a Redis password', () => {
    const attempts = [{ ALERT_WEBHOOK_SECRET: 'whsec_not base64!' }, { REDIS_URL: 'http://user:s3cretpw@example.com' }];
    for (const env of attempts) {
      let message = '';
      try {
        loadConfig(env);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^Invalid configuration/);
      expect(message).not.toMatch(/not base64|s3cretpw/);
    }
  });
});
