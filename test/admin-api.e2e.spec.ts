import { call, startLedgerServer, type LedgerServer } from './support/ledger-server';

describe('admin API smoke', () => {
  let server: LedgerServer;
  beforeAll(async () => {
    server = await startLedgerServer();
  });
  afterAll(() => server.close());

  it('creates a token with the printed root token', async () => {
    expect(server.rootToken).toMatch(/^tlr_/);
    const res = await call(server, 'POST', '/v1/projects/shop/tokens', { token: server.rootToken, body: { name: 'ci', scopes: ['a'] } });
    expect(res.status).toBe(201);
  });
});
