import { randomBytes } from 'node:crypto';
import { formatTokenValue } from '@ledger/token-domain';
import { ConfigError, loadConfig } from './ledger-config';

describe('loadConfig', () => {
  it('has sane defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '0.0.0.0', bootstrapToken: null, logLevel: 'info', projectionWaitMs: 5000 });
    expect(config.dataDir).toMatch(/\/data$/);
  });

  it('accepts a root token as LEDGER_BOOTSTRAP_TOKEN', () => {
    const token = formatTokenValue('root', randomBytes(32));
    expect(loadConfig({ LEDGER_BOOTSTRAP_TOKEN: token }).bootstrapToken).toBe(token);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['PROJECTION_WAIT_TIMEOUT', 'soon'],
    ['LEDGER_BOOTSTRAP_TOKEN', 'not-a-token'],
  ])('refuses %s=%s naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it('never echoes a bad bootstrap token', () => {
    const almost = formatTokenValue('project', randomBytes(32));
    expect(() => loadConfig({ LEDGER_BOOTSTRAP_TOKEN: almost })).toThrow(/LEDGER_BOOTSTRAP_TOKEN/);
    try {
      loadConfig({ LEDGER_BOOTSTRAP_TOKEN: almost });
    } catch (e) {
      expect((e as Error).message).not.toContain(almost);
    }
  });
});
