import { ConfigError, loadConfig } from './ledger-config';

describe('verification configuration', () => {
  it('has defaults: 60 s usage flush, in-memory limits, no trusted proxy', () => {
    expect(loadConfig({}).verification).toEqual({
      usageFlushIntervalMs: 60_000,
      rateLimitPrefix: 'ledger:rate-limit:',
      trustedProxies: [],
      adminRateLimit: { limit: 1000, windowMs: 10_000 },
      adminProjectRateLimit: { limit: 1000, windowMs: 10_000 },
      failedAuthLimit: { limit: 30, windowMs: 60_000 },
    });
  });

  it('counts the admin API per project with ADMIN_RATE_LIMIT unless ADMIN_PROJECT_RATE_LIMIT says otherwise', () => {
    expect(loadConfig({ ADMIN_RATE_LIMIT: '50/1m' }).verification.adminProjectRateLimit).toEqual({ limit: 50, windowMs: 60_000 });
    expect(loadConfig({ ADMIN_RATE_LIMIT: '50/1m', ADMIN_PROJECT_RATE_LIMIT: '200/1m' }).verification.adminProjectRateLimit).toEqual({
      limit: 200,
      windowMs: 60_000,
    });
    expect(loadConfig({ ADMIN_PROJECT_RATE_LIMIT: 'off' }).verification.adminProjectRateLimit).toBeNull();
  });

  it('caps active tokens per project at 10,000 by default, MAX_ACTIVE_TOKENS_PER_PROJECT otherwise', () => {
    expect(loadConfig({}).maxActiveTokensPerProject).toBe(10_000);
    expect(loadConfig({ MAX_ACTIVE_TOKENS_PER_PROJECT: '25' }).maxActiveTokensPerProject).toBe(25);
    for (const bad of ['0', '-1', '1.5', 'many', '10000001']) {
      expect(() => loadConfig({ MAX_ACTIVE_TOKENS_PER_PROJECT: bad })).toThrow(/MAX_ACTIVE_TOKENS_PER_PROJECT/);
    }
  });

  it('reads every variable', () => {
    const config = loadConfig({
      USAGE_FLUSH_INTERVAL: '5s',
      RATE_LIMIT_PREFIX: 'test:',
      TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16,loopback, ::1',
      ADMIN_RATE_LIMIT: 'off',
      FAILED_AUTH_LIMIT: '5/30s',
    }).verification;
    expect(config).toEqual({
      usageFlushIntervalMs: 5000,
      rateLimitPrefix: 'test:',
      trustedProxies: ['10.0.0.1', '192.168.0.0/16', '127.0.0.1/8', '::1/128', '::1'],
      adminRateLimit: null,
      adminProjectRateLimit: null,
      failedAuthLimit: { limit: 5, windowMs: 30_000 },
    });
  });

  it.each([
    ['USAGE_FLUSH_INTERVAL', 'often'],
    ['USAGE_FLUSH_INTERVAL', '0'],
    ['USAGE_FLUSH_INTERVAL', '2h'],
    ['REDIS_URL', 'localhost:6379'],
    ['REDIS_URL', 'http://localhost:6379'],
    ['TRUSTED_PROXIES', '10.0.0.300'],
    ['TRUSTED_PROXIES', '10.0.0.0/33'],
    ['TRUSTED_PROXIES', 'gateway.internal'],
    ['TRUSTED_PROXIES', 'constructor'],
    ['TRUSTED_PROXIES', 'toString'],
    ['TRUSTED_PROXIES', '__proto__'],
    ['ADMIN_RATE_LIMIT', '100'],
    ['ADMIN_PROJECT_RATE_LIMIT', '5 per minute'],
    ['ADMIN_RATE_LIMIT', '0/1s'],
    ['FAILED_AUTH_LIMIT', '10/soon'],
    ['FAILED_AUTH_LIMIT', '10/0'],
  ])('refuses %s=%s naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });
});
