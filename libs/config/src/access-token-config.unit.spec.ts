import { ConfigError, loadConfig } from './ledger-config';

describe('access token configuration', () => {
  it('defaults: 24 h, issuer on localhost at the port, key file in the data directory', () => {
    const config = loadConfig({ LEDGER_DATA_DIR: '/srv/ledger', PORT: '8080' });
    expect(config.accessTokens).toEqual({
      ttlSeconds: 86_400,
      issuer: 'http://localhost:8080',
      publicUrl: null,
      signingKeyFile: '/srv/ledger/signing-keys.json',
    });
  });

  it('the issuer defaults to PUBLIC_URL and may be set on its own', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://ledger.example/' }).accessTokens).toMatchObject({
      issuer: 'https://ledger.example',
      publicUrl: 'https://ledger.example',
    });
    expect(loadConfig({ PUBLIC_URL: 'https://a.example', ACCESS_TOKEN_ISSUER: 'https://b.example' }).accessTokens.issuer).toBe('https://b.example');
    expect(loadConfig({ SIGNING_KEY_FILE: '/run/secrets/keys.json' }).accessTokens.signingKeyFile).toBe('/run/secrets/keys.json');
  });

  it.each([
    ['ACCESS_TOKEN_TTL', '4s'],
    ['ACCESS_TOKEN_TTL', '8d'],
    ['ACCESS_TOKEN_TTL', 'soon'],
    ['PUBLIC_URL', 'ftp://x'],
    ['ACCESS_TOKEN_ISSUER', 'not a url'],
  ])('refuses %s=%s naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });
});
