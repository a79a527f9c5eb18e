import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { storage } from 'nestjs-pino/storage';
import { loadConfig } from '@ledger/config';
import { createLedgerLogger, NOT_ACCESS_LOGGED, registerAccessLog } from '../apps/api/src/http/logging';
import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

type Line = Record<string, any>;
const jsonLines = (output: string): Line[] =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);
const accessLines = (output: string) => jsonLines(output).filter((l) => l.msg === 'request completed');

/** The access log is a Fastify onResponse hook (no pino-http middleware): same shape as before. */
describe('access log', () => {
  let server: LedgerServer;
  afterAll(() => server?.close());

  it('logs one redacted JSON line per request with id, method, url, status and time, except health and the hot paths', async () => {
    server = await startLedgerServer();
    const root = server.rootToken;
    // nestjs-pino's middleware would run each request in its AsyncLocalStorage.
    const perRequestContext = jest.spyOn(storage, 'run');
    const listed = await call(server, 'GET', '/v1/projects/p/tokens?limit=5', { token: root, headers: { cookie: 'session=s3cret-cookie' } });
    expect(listed.status).toBe(200);
    const denied = await call(server, 'GET', '/v1/projects/p/tokens', { headers: { 'x-api-key': 'tlp_not-a-real-one' } });
    expect(denied.status).toBe(401);
    await call(server, 'GET', '/health/live');
    await call(server, 'GET', '/health/ready');
    await call(server, 'POST', '/v1/tokens/verify', { body: { token: root } });
    await call(server, 'GET', '/v1/auth/check', { token: root });
    await call(server, 'GET', '/v1/auth/check/orders/1', { token: root });

    expect(perRequestContext).not.toHaveBeenCalled();
    perRequestContext.mockRestore();
    const lines = accessLines(server.output());
    expect(lines.map((l) => `${l.req.method} ${l.req.url} ${l.res.statusCode} ${l.level}`)).toEqual([
      'GET /v1/projects/p/tokens?limit=5 200 30',
      'GET /v1/projects/p/tokens 401 40',
    ]);
    const [ok, warn] = lines;
    expect(ok.req.id).toBe(listed.headers.get('x-request-id'));
    expect(warn.req.id).toBe(denied.headers.get('x-request-id'));
    expect(typeof ok.responseTime).toBe('number');
    expect(ok.req.headers.authorization).toBe('[redacted]');
    expect(ok.req.headers.cookie).toBe('[redacted]');
    expect(warn.req.headers['x-api-key']).toBe('[redacted]');
    // The announced root token line aside (shown once by design), no credential in any log line.
    const logged = JSON.stringify(jsonLines(server.output()));
    expect(logged).not.toContain(root);
    expect(logged).not.toContain('s3cret-cookie');
    // Nest's own logs still go through the same pino instance and destination as JSON.
    expect(jsonLines(server.output()).some((l) => typeof l.context === 'string' && l.msg !== 'request completed')).toBe(true);
  });

  it('logs a server error at level error and a redacted auth-token header (bare Fastify, inject)', async () => {
    const chunks: string[] = [];
    const destination = new Writable({ write: (c, _e, done) => (chunks.push(String(c)), done()) });
    const logger = createLedgerLogger(loadConfig({ LEDGER_DATA_DIR: '/nonexistent', LOG_LEVEL: 'info' }), destination);
    const fastify = Fastify();
    registerAccessLog(fastify, logger);
    fastify.get('/boom', async () => {
      throw new Error('boom');
    });
    fastify.get('/quiet', NOT_ACCESS_LOGGED, async () => ({ ok: true }));
    await fastify.inject({ url: '/boom', headers: { 'auth-token': 'tlu_hidden' } });
    await fastify.inject({ url: '/quiet' });
    await fastify.inject({ url: '/missing' });
    await fastify.close();
    const lines = accessLines(chunks.join(''));
    expect(lines.map((l) => `${l.req.url} ${l.res.statusCode} ${l.level}`)).toEqual(['/boom 500 50', '/missing 404 40']);
    expect(lines[0].req.headers['auth-token']).toBe('[redacted]');
    expect(chunks.join('')).not.toContain('tlu_hidden');
  });
});
