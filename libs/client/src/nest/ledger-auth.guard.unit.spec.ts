import { Controller, Get, type INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { refusedAnswer, startFakeLedger, validAnswer, type FakeLedger } from '../../test/fake-ledger';
import type { VerifiedToken } from '../verified-token';
import { LedgerAuthModule } from './ledger-auth.module';
import { LedgerToken, RequireScopes } from './require-scopes.decorator';

@Controller('reports')
@RequireScopes('reports:read')
class ReportsController {
  @Get()
  list(@LedgerToken() token: VerifiedToken) {
    return { readBy: token.id };
  }

  @Get('export')
  @RequireScopes('reports:export')
  export() {
    return { ok: true };
  }
}

@Controller('open')
class OpenController {
  @Get()
  open() {
    return { open: true };
  }
}

/** The Nest guard in a real Nest application on Fastify, in front of a fake ledger on a real socket. */
describe('LedgerAuthGuard and @RequireScopes', () => {
  let ledger: FakeLedger;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    ledger = await startFakeLedger();
    const moduleRef = await Test.createTestingModule({
      imports: [LedgerAuthModule.forRoot({ baseUrl: ledger.url, projectId: 'shop', cacheTtlMs: 0, retry: { retries: 1, baseDelayMs: 1 } })],
      controllers: [ReportsController, OpenController],
    }).compile();
    app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await ledger.close();
  });

  const get = async (path: string, token?: string) => {
    const response = await fetch(url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, headers: response.headers, body: (await response.json()) as { readBy?: string; error?: { code: string } } };
  };

  it('asks for the controller’s scope, the route’s overriding it, and the configured project', async () => {
    ledger.script(validAnswer('tok_r'), validAnswer('tok_x'));
    expect(await get('/reports', 'token-a')).toMatchObject({ status: 200, body: { readBy: 'tok_r' } });
    expect((await get('/reports/export', 'token-a')).status).toBe(200);
    expect(ledger.requests.slice(-2)).toEqual([
      { token: 'token-a', scopes: ['reports:read'], projectId: 'shop' },
      { token: 'token-a', scopes: ['reports:export'], projectId: 'shop' },
    ]);
  });

  it('leaves routes without @RequireScopes alone', async () => {
    const before = ledger.requests.length;
    expect((await get('/open')).status).toBe(200);
    expect(ledger.requests.length).toBe(before);
  });

  it('refuses with 401 and 403 in the error shape, with the challenge header', async () => {
    const missing = await get('/reports');
    expect(missing).toMatchObject({ status: 401, body: { error: { code: 'missing' } } });
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    ledger.script(refusedAnswer('expired'), refusedAnswer('wrong_project'));
    expect(await get('/reports', 'token-a')).toMatchObject({ status: 401, body: { error: { code: 'expired' } } });
    const other = await get('/reports', 'token-a');
    expect(other).toMatchObject({ status: 403, body: { error: { code: 'wrong_project' } } });
    expect(other.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="reports:read"');
  });

  it('fails closed: 503 when the ledger does not answer', async () => {
    ledger.script('drop', 'drop');
    const res = await get('/reports', 'token-a');
    expect(res).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(res.headers.get('retry-after')).toBe('5');
  });
});
