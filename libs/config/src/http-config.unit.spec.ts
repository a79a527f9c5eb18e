import { ConfigError, loadConfig } from './ledger-config';

describe('HTTP server configuration', () => {
  it('has defaults: 30 s per request, 2 min idle, 72 s keep-alive, 1000 connections, 5 s drain', () => {
    expect(loadConfig({}).http).toEqual({
      requestTimeoutMs: 30_000,
      idleTimeoutMs: 120_000,
      keepAliveTimeoutMs: 72_000,
      maxConnections: 1000,
      shutdownDrainMs: 5000,
    });
  });

  it('reads every variable, and a drain of 0', () => {
    const config = loadConfig({
      HTTP_REQUEST_TIMEOUT: '2s',
      HTTP_IDLE_TIMEOUT: '10s',
      HTTP_KEEP_ALIVE_TIMEOUT: '5s',
      HTTP_MAX_CONNECTIONS: '20',
      SHUTDOWN_DRAIN: '0',
    }).http;
    expect(config).toEqual({ requestTimeoutMs: 2000, idleTimeoutMs: 10_000, keepAliveTimeoutMs: 5000, maxConnections: 20, shutdownDrainMs: 0 });
  });

  it.each([
    ['HTTP_REQUEST_TIMEOUT', '0'],
    ['HTTP_REQUEST_TIMEOUT', '2h'],
    ['HTTP_IDLE_TIMEOUT', 'soon'],
    ['HTTP_KEEP_ALIVE_TIMEOUT', '-1'],
    ['HTTP_MAX_CONNECTIONS', '0'],
    ['HTTP_MAX_CONNECTIONS', 'many'],
    ['SHUTDOWN_DRAIN', '11m'],
  ])('refuses %s=%s naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });
});
