import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@ledger/config';
import { createLedgerApp } from '../apps/api/src/app.factory';

/** The console's static routes (issue 14): its files, its strict headers, and its errors in the API's shape. */
describe('the console at /console', () => {
  const dirs: string[] = [];
  const apps: NestFastifyApplication[] = [];

  async function ledgerWithConsole(consoleDir: string) {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-console-routes-'));
    dirs.push(dataDir);
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
    const app = await createLedgerApp(loadConfig({ LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), {
      consoleDir,
      logDestination: quiet,
      announce: () => undefined,
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    apps.push(app);
    return app.getHttpAdapter().getInstance();
  }

  function builtConsole(): string {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-console-dist-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/console/assets/index-abc.js"></script>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'index-abc.css'), 'body{}');
    return dir;
  }

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  function expectStrictHeaders(headers: Record<string, unknown>) {
    const csp = String(headers['content-security-policy']);
    expect(csp).toMatch(/(^|; )default-src 'self'(;|$)/);
    expect(csp).toMatch(/(^|; )script-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
  }

  it('serves index.html and the hashed assets with the strict headers', async () => {
    const fastify = await ledgerWithConsole(builtConsole());
    const page = await fastify.inject({ url: '/console/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('/console/assets/index-abc.js');
    expectStrictHeaders(page.headers);

    const script = await fastify.inject({ url: '/console/assets/index-abc.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toContain('immutable');
    expectStrictHeaders(script.headers);
    expect((await fastify.inject({ url: '/console/assets/index-abc.css' })).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('redirects /console to /console/ with the same headers', async () => {
    const fastify = await ledgerWithConsole(builtConsole());
    const answer = await fastify.inject({ url: '/console' });
    expect(answer.statusCode).toBe(308);
    expect(answer.headers.location).toBe('/console/');
    expectStrictHeaders(answer.headers);
  });

  it('answers an unknown file, or a path climbing out, with a 404 in the API error shape', async () => {
    const fastify = await ledgerWithConsole(builtConsole());
    for (const url of ['/console/nope.js', '/console/../package.json', '/console/%2e%2e/%2e%2e/package.json', '/console/assets/../../index.html']) {
      const answer = await fastify.inject({ url });
      expect([url, answer.statusCode]).toEqual([url, 404]);
      expect(answer.json()).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
      expect(answer.body).not.toContain('"name"');
    }
  });

  it('says the console is not built (503, one clear message) instead of failing the start', async () => {
    const fastify = await ledgerWithConsole(join(tmpdir(), 'ledger-console-never-built'));
    const answer = await fastify.inject({ url: '/console/' });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toEqual({ error: { code: 'console_not_built', message: expect.stringContaining('npm run build') } });
    expectStrictHeaders(answer.headers);
    // The API itself is unaffected.
    expect((await fastify.inject({ url: '/health/live' })).statusCode).toBe(200);
  });
});
