import { randomBytes } from 'node:crypto';
import { formatTokenValue } from '@ledger/token-domain';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

type Line = Record<string, any>;
const jsonLines = (output: string): Line[] =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);

/**
 * Credentials are redacted by where they travel and by what they look like (issue 12, item 14):
 * the token format is recognisable (`tl[piur]_` and 49 base62 characters), so a value is kept
 * out of the access log, the error bodies and every other log line wherever it was put.
 */
describe('secrets in logs and errors', () => {
  let server: LedgerServer;
  beforeAll(async () => {
    server = await startLedgerServer({ env: { LOG_LEVEL: 'trace' } });
  });
  afterAll(() => server.close());

  const value = () => formatTokenValue('project', randomBytes(32));

  it('redacts proxy and forwarded credential headers, whatever they hold', async () => {
    const basic = `Basic ${Buffer.from(`user:${randomBytes(12).toString('hex')}`).toString('base64')}`;
    const forwarded = value();
    const res = await call(server, 'GET', '/v1/projects/p/tokens', {
      token: server.rootToken,
      headers: { 'proxy-authorization': basic, 'x-forwarded-authorization': `Bearer ${forwarded}`, 'x-custom': `see ${forwarded}` },
    });
    expect(res.status).toBe(200);
    const line = jsonLines(server.output()).find((l) => l.req?.id === res.headers.get('x-request-id'));
    expect(line?.req.headers).toMatchObject({ 'proxy-authorization': '[redacted]', 'x-forwarded-authorization': '[redacted]' });
    expect(line?.req.headers['x-custom']).toBe('see [redacted]');
    expect(server.output()).not.toContain(basic.slice(6));
    expect(server.output()).not.toContain(forwarded);
  });

  it('redacts a ?token= value and a token anywhere in the URL, keeping the rest of the URL', async () => {
    const inQuery = value();
    const notATokenButSecret = randomBytes(16).toString('hex');
    const inPath = value();
    const a = await call(server, 'GET', `/v1/projects/p/tokens?limit=5&token=${inQuery}`, { token: server.rootToken });
    const b = await call(server, 'GET', `/v1/projects/p/tokens?access_token=${notATokenButSecret}&limit=5`, { token: server.rootToken });
    const c = await call(server, 'GET', `/v1/projects/p/tokens/${inPath}`, { token: server.rootToken });
    for (const res of [a, b, c]) expect(res.status).toBeGreaterThanOrEqual(200);
    const urls = jsonLines(server.output())
      .filter((l) => [a, b, c].some((r) => r.headers.get('x-request-id') === l.req?.id))
      .map((l) => l.req.url);
    expect(urls).toEqual([
      '/v1/projects/p/tokens?limit=5&token=[redacted]',
      '/v1/projects/p/tokens?access_token=[redacted]&limit=5',
      '/v1/projects/p/tokens/[redacted]',
    ]);
    for (const secret of [inQuery, notATokenButSecret, inPath]) expect(server.output()).not.toContain(secret);
  });

  it('never echoes a token placed in the path in a 404, nor in a 400', async () => {
    const inPath = value();
    const notFound = await call(server, 'GET', `/v1/${inPath}`);
    expect(notFound.status).toBe(404);
    expect(notFound.body.error.message).toContain('[redacted]');
    expect(JSON.stringify(notFound.body)).not.toContain(inPath);
    const malformed = inPath.slice(0, -1) + (inPath.endsWith('a') ? 'b' : 'a');
    const bad = await call(server, 'DELETE', `/v1/whatever/${malformed}/x`);
    expect(JSON.stringify(bad.body)).not.toContain(malformed);
    expect(server.output()).not.toContain(inPath);
    expect(server.output()).not.toContain(malformed);
  });

  it('keeps a token value out of every log line, such as a server error naming it', async () => {
    const secret = value();
    const logger = server.app.get(require('../apps/api/src/http/logging').LEDGER_LOGGER);
    logger.error({ err: new Error(`cannot use ${secret}`), note: secret }, `failed for ${secret}`);
    logger.flush?.();
    await new Promise((r) => setTimeout(r, 50));
    expect(server.output()).toContain('failed for [redacted]');
    expect(server.output()).not.toContain(secret);
  });
});
